import { afterAll, describe, expect, test } from 'vitest';
import { cpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import type { GpuBackend } from '../../src/backend/gpu/gpu-backend.js';
import { registerBackend, setBackend } from '../../src/backend/registry.js';
import { BufferPool } from '../../src/memory/index.js';
import { conv2d, matmul, mul, sum } from '../../src/ops/index.js';
import type { Tensor } from '../../src/tensor/index.js';
import { randomTensor } from '../helpers/arbitraries.js';
import { gpuTarget } from './backend-targets.js';

afterAll(() => {
  registerBackend('cpu-after-shared-storage', () => cpuBackend);
  setBackend('cpu-after-shared-storage');
});

/** A conv forward and weight gradient, and a matmul, as float arrays. */
function run(x: Tensor, weight: Tensor, a: Tensor, b: Tensor): { shared: boolean; values: number[][] } {
  weight.zeroGrad();
  const y = conv2d(x, weight, { padding: 1 });
  sum(mul(y, y)).backward();
  return {
    shared: x.data.buffer instanceof SharedArrayBuffer,
    values: [Array.from(y.data), Array.from(weight.grad?.data ?? []), Array.from(matmul(a, b).data)],
  };
}

// Inside BufferPool.run tensors live on SharedArrayBuffer; gpu.js must read them as it reads
// private memory (WebGL in browsers refuses shared views, so this is worth pinning down).
for (const mode of ['headlessgl', 'webasm', 'cpu'] as const) {
  const target = gpuTarget(mode);
  const name = target.unavailable
    ? `gpu.js '${mode}' on BufferPool storage (skipped: ${target.unavailable})`
    : `gpu.js '${mode}' on BufferPool storage`;
  describe(name, () => {
    test.skipIf(target.unavailable !== null)(
      'kernels on shared pool storage give the same values as on private storage',
      () => {
        const backend = target.create() as GpuBackend;
        registerBackend(`shared-storage-${mode}`, () => backend);
        setBackend(`shared-storage-${mode}`);
        const x = randomTensor([2, 4, 8, 8], 1, { dtype: 'float32' });
        const weight = randomTensor([6, 4, 3, 3], 2, { dtype: 'float32', requiresGrad: true });
        const a = randomTensor([32, 48], 3, { dtype: 'float32' });
        const b = randomTensor([48, 16], 4, { dtype: 'float32' });
        const outside = run(x, weight, a, b);
        const pool = new BufferPool();
        const inside = pool.run(() => run(x.clone(), weight, a.clone(), b.clone()));
        expect(outside.shared).toBe(false);
        expect(inside.shared).toBe(true);
        expect(inside.values).toEqual(outside.values);
        expect(backend.describe().kernelClass).toContain(
          { headlessgl: 'HeadlessGLKernel', webasm: 'WebAssemblyKernel', cpu: 'CPUKernel' }[mode],
        );
      },
    );
  });
}
