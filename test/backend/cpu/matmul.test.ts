import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { matmulCpu } from '../../../src/backend/cpu/matmul.js';
import { matmulReference } from '../../../src/backend/cpu/reference/index.js';
import { setCpuThreads } from '../../../src/backend/cpu/threads/pool.js';
import type { MatmulProblem } from '../../../src/backend/kernels.js';
import { allocate, type FloatDType } from '../../../src/tensor/dtype.js';
import { firstMismatch, tolerances, uniformStorage } from './problems.js';

interface MatmulSpec {
  batch: number;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  broadcastA: boolean;
  broadcastB: boolean;
  seed: number;
}

/** The first mismatch between matmulCpu and the reference for one problem, or null. */
function matmulMismatch(spec: MatmulSpec, dtype: FloatDType): string | null {
  const { batch, m, k, n } = spec;
  const a = uniformStorage(dtype, (spec.broadcastA ? 1 : batch) * m * k, spec.seed);
  const b = uniformStorage(dtype, (spec.broadcastB ? 1 : batch) * k * n, spec.seed + 1);
  const problem = (out: Float32Array | Float64Array): MatmulProblem => ({
    a,
    b,
    out,
    batch,
    m,
    k,
    n,
    transposeA: spec.transposeA,
    transposeB: spec.transposeB,
    aBatchStride: spec.broadcastA ? 0 : m * k,
    bBatchStride: spec.broadcastB ? 0 : k * n,
  });
  const fast = allocate(dtype, batch * m * n).fill(7);
  const reference = allocate(dtype, batch * m * n);
  matmulCpu(problem(fast));
  matmulReference(problem(reference));
  const { abs, rel } = tolerances[dtype];
  return firstMismatch(fast, reference, abs, rel);
}

const specArb = (maxDim: number) =>
  fc.record({
    batch: fc.integer({ min: 1, max: 3 }),
    m: fc.integer({ min: 1, max: maxDim }),
    k: fc.integer({ min: 1, max: maxDim }),
    n: fc.integer({ min: 1, max: maxDim }),
    transposeA: fc.boolean(),
    transposeB: fc.boolean(),
    broadcastA: fc.boolean(),
    broadcastB: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
  });

describe('optimised CPU matmul equals the reference loops (float32: abs 1e-4 + rel 1e-4; float64: 1e-10)', () => {
  test.prop([specArb(40)], { numRuns: 200 })(
    'batched, transposed, broadcast problems (edge tiles of the 4x8 micro-kernel), float32',
    (spec) => {
      expect(matmulMismatch(spec, 'float32')).toBeNull();
    },
  );

  test.prop([specArb(40)], { numRuns: 100 })('the same in float64', (spec) => {
    expect(matmulMismatch(spec, 'float64')).toBeNull();
  });

  test.prop([specArb(300)], { numRuns: 12 })(
    'problems past the cache blocks (k > 256, n > 512 columns per tile) and split over 2 threads',
    (spec) => {
      setCpuThreads(2);
      expect(matmulMismatch(spec, 'float32')).toBeNull();
    },
  );

  test('k = 0 gives zeros, m or n = 0 writes nothing', () => {
    const out = new Float32Array(6).fill(7);
    matmulCpu({
      a: new Float32Array(0),
      b: new Float32Array(0),
      out,
      batch: 1,
      m: 2,
      k: 0,
      n: 3,
      transposeA: false,
      transposeB: false,
      aBatchStride: 0,
      bBatchStride: 0,
    });
    expect([...out]).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
