import { test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { cpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { GpuBackend } from '../../src/backend/gpu/gpu-backend.js';
import type { KernelBackend } from '../../src/backend/kernels.js';
import type { BackendTarget } from './backend-targets.js';
import { faceMobileNetConvs } from './face-mobilenet-shapes.js';
import { convArb, matmulArb } from './kernel-arbitraries.js';
import {
  absoluteTolerance,
  checkCase,
  convCases,
  convGeometry,
  convOutSize,
  matmulCase,
  randomStorage,
  relativeTolerance,
} from './kernel-problems.js';

const tolerance = `abs ${absoluteTolerance} + rel ${relativeTolerance} of sum|terms|`;

/** Kernel calls that ran on gpu.js's own class so far (0 for the CPU backend, which has no class). */
function gpuCalls(backend: KernelBackend, kernelClass: string): number {
  return backend instanceof GpuBackend ? (backend.describe().calls[kernelClass] ?? 0) : 0;
}

/**
 * The kernel suite every backend runs: properties against the reference on random problems, each
 * FaceMobileNet layer shape, a tensor past 2^24 elements, and flat memory over 1,000 calls. Each
 * test name carries the kernel class that ran; an unavailable backend is skipped with its reason.
 */
export function kernelSuite(target: BackendTarget): void {
  if (target.unavailable !== null) {
    console.log(`[backend coverage] ${target.label}: SKIPPED (${target.unavailable})`);
    describe.skip(`kernels on ${target.label}: skipped because ${target.unavailable}`, () => {
      test('unavailable', () => {});
    });
    return;
  }
  const backend = target.create();
  const kernelClass = target.kernelClass(backend);
  const isGpu = backend instanceof GpuBackend;
  console.log(`[backend coverage] ${target.label}: runs ${kernelClass}`);
  afterAll(async () => {
    if (backend instanceof GpuBackend) {
      console.log(`[backend coverage] ${target.label}: ${backend.describe().summary}`);
      await backend.dispose();
    }
  });

  /** Checks cases and that they really ran on the target's kernel class (not a CPU route). */
  function expectAllPass(cases: ReturnType<typeof convCases>): void {
    const before = gpuCalls(backend, kernelClass);
    for (const kernelCase of cases) expect(checkCase(kernelCase, backend, target.reference)).toBeNull();
    if (isGpu) expect(gpuCalls(backend, kernelClass) - before).toBe(cases.length);
  }

  describe(`kernels on ${target.label} (${kernelClass}), tolerance ${tolerance}`, () => {
    test.prop([matmulArb], { numRuns: target.propertyRuns })(
      `${kernelClass}: batched matmul (transposes, broadcast batch) equals the reference`,
      (spec) => expectAllPass([matmulCase(spec)]),
    );

    test.prop([convArb], { numRuns: target.propertyRuns })(
      `${kernelClass}: conv2d forward, input and weight gradients equal the reference (groups, stride, padding)`,
      ({ geometry, seed }) => expectAllPass(convCases(geometry, seed)),
    );

    for (const { name, geometry } of faceMobileNetConvs(1)) {
      test(`${kernelClass}: FaceMobileNet ${name} at 128x128, batch 1: forward and both gradients`, () => {
        expectAllPass(convCases(geometry, 7));
      });
    }

    test(`${kernelClass}: FaceMobileNet embedding linear (2048 -> 512, batch 2) forward and gradients`, () => {
      const linear = { batch: 1, broadcastA: false, broadcastB: false, seed: 3 };
      expectAllPass([
        matmulCase({ ...linear, m: 2, k: 2048, n: 512, transposeA: false, transposeB: true }),
        matmulCase({ ...linear, m: 2, k: 512, n: 2048, transposeA: false, transposeB: false }),
        matmulCase({ ...linear, m: 512, k: 2, n: 2048, transposeA: true, transposeB: false }),
      ]);
    });

    test(`${kernelClass}: a tensor of 20.25 million elements (past 2^24) is addressed correctly`, () => {
      const side = 4500;
      expect(side * side).toBeGreaterThan(2 ** 24);
      expectAllPass([
        matmulCase({
          batch: 1,
          m: side,
          k: side,
          n: 1,
          transposeA: false,
          transposeB: false,
          broadcastA: false,
          broadcastB: false,
          seed: 5,
        }),
        ...convCases(convGeometry(1, 1, side, side, 1, 1, 1, 0, 1), 11),
      ]);
    });

    test.skipIf(!isGpu)(
      `${kernelClass}: least recently used kernels are destroyed beyond the cache limit, and rebuilt right${isGpu ? '' : ' (skipped: the CPU backend compiles and caches no kernels)'}`,
      async () => {
        const small = new GpuBackend(
          { mode: (backend as GpuBackend).mode, minFlops: 0, kernelCacheSize: 2 },
          cpuBackend,
        );
        const shapes = [2, 3, 4, 5, 2].map((m) =>
          matmulCase({
            batch: 1,
            m,
            k: 3,
            n: 2,
            transposeA: false,
            transposeB: false,
            broadcastA: false,
            broadcastB: false,
            seed: m,
          }),
        );
        for (const kernelCase of shapes) expect(checkCase(kernelCase, small, target.reference)).toBeNull();
        const info = small.describe();
        // The probe kernel plus five shapes, the last a rebuild of the first after eviction.
        expect(info.compiledKernels).toBe(6);
        expect(info.cachedKernels).toBe(2);
        await small.dispose();
      },
    );

    test(`${kernelClass}: memory stays flat over 1,000 kernel calls`, () => {
      const g = convGeometry(2, 8, 16, 16, 8, 3, 1, 1, 1);
      const x = randomStorage(2 * 8 * 16 * 16, 1);
      const w = randomStorage(8 * 8 * 9, 2);
      const out = new Float32Array(2 * 8 * 16 * 16);
      for (let i = 0; i < 50; i++) backend.conv2dForward(x, w, out, g);
      globalThis.gc?.();
      const before = process.memoryUsage().rss;
      const cachedBefore = isGpu ? (backend as GpuBackend).describe().cachedKernels : 0;
      const started = performance.now();
      for (let i = 0; i < 1000; i++) backend.conv2dForward(x, w, out, g);
      const perCall = (performance.now() - started) / 1000;
      globalThis.gc?.();
      const after = process.memoryUsage().rss;
      const growthMiB = (after - before) / 2 ** 20;
      console.log(
        `[memory] ${target.label} (${kernelClass}): RSS ${(before / 2 ** 20).toFixed(1)} -> ${(after / 2 ** 20).toFixed(1)} MiB ` +
          `over 1,000 conv2d calls (${growthMiB.toFixed(1)} MiB growth, ${perCall.toFixed(2)} ms/call)`,
      );
      expect(growthMiB).toBeLessThan(64);
      if (isGpu) expect((backend as GpuBackend).describe().cachedKernels).toBe(cachedBefore);
    });
  });
}
