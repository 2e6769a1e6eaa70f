import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { cpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import type { KernelBackend } from '../../src/backend/kernels.js';
import { backendInfo, registerBackend, setBackend } from '../../src/backend/registry.js';
import { add, batchNorm, matmul, mean, mul, prelu, sub, sum } from '../../src/ops/index.js';
import { Generator } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';

// A backend implements the kernels it can; runKernel runs the CPU reference for the rest and
// backendInfo().kernels says which implementation ran each named kernel.

afterAll(() => setBackend('cpu'));

/** A backend with only the four required kernels (borrowed from the CPU backend). */
const minimal: KernelBackend = {
  name: 'minimal',
  matmul: cpuBackend.matmul,
  conv2dForward: cpuBackend.conv2dForward,
  conv2dBackwardInput: cpuBackend.conv2dBackwardInput,
  conv2dBackwardWeight: cpuBackend.conv2dBackwardWeight,
};
registerBackend('minimal', () => minimal);

function values(size: number, seed: number): Float64Array {
  const generator = new Generator(seed);
  return Float64Array.from({ length: size }, () => generator.normal());
}

/** batchNorm then prelu, forward and backward; returns the output and every gradient. */
function step(seed: number): number[][] {
  const x = new Tensor(values(2 * 3 * 5, seed), [2, 3, 5], true);
  const weight = new Tensor(values(3, seed + 1), [3], true);
  const bias = new Tensor(values(3, seed + 2), [3], true);
  const slopes = new Tensor(
    values(3, seed + 3).map((v) => v / 4),
    [3],
    true,
  );
  const out = prelu(batchNorm(x, { weight, bias, training: true }), slopes);
  sum(out).backward();
  return [out, x.grad, weight.grad, bias.grad, slopes.grad].map((t) => Array.from((t as Tensor).data));
}

describe('named kernels with the CPU reference as fallback', () => {
  test('the cpu backend runs its own batchNorm and prelu kernels, and says so', () => {
    setBackend('cpu');
    step(1);
    const { kernels } = backendInfo();
    expect(kernels.batchNormForward).toEqual({ cpu: 1 });
    expect(kernels.batchNormBackward).toEqual({ cpu: 1 });
    expect(kernels.prelu).toEqual({ cpu: 1 });
    expect(kernels.preluBackward).toEqual({ cpu: 1 });
  });

  test.prop([fc.integer({ min: 0, max: 100_000 })], { numRuns: 10 })(
    'a backend without batchNorm and prelu kernels runs the reference, reports it, and gets the same values (float64)',
    (seed) => {
      setBackend('cpu');
      const onCpu = step(seed);
      setBackend('minimal');
      const onMinimal = step(seed);
      const { name, kernels } = backendInfo();
      expect(name).toBe('minimal');
      expect(kernels.batchNormForward).toEqual({ 'cpu-reference': 1 });
      expect(kernels.batchNormBackward).toEqual({ 'cpu-reference': 1 });
      expect(kernels.prelu).toEqual({ 'cpu-reference': 1 });
      expect(kernels.preluBackward).toEqual({ 'cpu-reference': 1 });
      // float64 storage: the CPU backend runs the reference loops too, so the values are identical.
      expect(onMinimal).toEqual(onCpu);
    },
  );

  test('the four required kernels run on the backend itself', () => {
    setBackend('minimal');
    const a = new Tensor(Float64Array.from([1, 2, 3, 4]), [2, 2]);
    matmul(a, a);
    expect(backendInfo().kernels.matmul).toEqual({ minimal: 1 });
  });

  test('arithmetic and reductions are kernels too: the backend without them runs the reference', () => {
    setBackend('minimal');
    const a = new Tensor(Float64Array.from([1, 2, 3, 4, 5, 6]), [2, 3], true);
    const row = new Tensor(Float64Array.from([10, 20, 30]), [3], true);
    const out = mean(sub(mul(add(a, row), 2), a), 1);
    sum(out).backward();
    const { kernels } = backendInfo();
    // Forward: add, mul (by a scalar), sub; backward: add's row gradient reduced over the batch.
    expect(kernels.binary?.['cpu-reference']).toBeGreaterThanOrEqual(3);
    expect(kernels.sumToShape?.['cpu-reference']).toBeGreaterThanOrEqual(2);
    expect(Array.from(out.data)).toEqual([(22 + 44 + 66) / 3 - 2, (28 + 50 + 72) / 3 - 5]);
    for (const g of (row.grad as Tensor).data) expect(g).toBeCloseTo(4 / 3, 14);
  });
});
