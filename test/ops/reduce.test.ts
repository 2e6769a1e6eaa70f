import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { mean, sum } from '../../src/ops/index.js';
import { full, tensor } from '../../src/tensor/index.js';
import { randomTensor, seedArb, shapeArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { reductionDimArb } from './kink-free.js';

/** A shape, a dim argument for it (all, one, or a list), and keepdim. */
const reductionArb = shapeArb(0, 4, 3).chain((shape) =>
  fc.tuple(fc.constant(shape), reductionDimArb(shape.length), fc.boolean()),
);

/** Expected output shape, written independently of the implementation. */
function expectedShape(shape: readonly number[], dim: number | number[] | undefined, keepdim: boolean): number[] {
  const rank = shape.length;
  const dims =
    dim === undefined
      ? shape.map((_, i) => i)
      : (typeof dim === 'number' ? [dim] : dim).map((d) => (d + Math.max(rank, 1)) % Math.max(rank, 1));
  return keepdim ? shape.map((d, i) => (dims.includes(i) ? 1 : d)) : shape.filter((_, i) => !dims.includes(i));
}

describe('sum and mean', () => {
  test.prop([reductionArb, seedArb], { numRuns: 80 })(
    'gradients equal central finite differences over random dims and keepdim (float64)',
    ([shape, dim, keepdim], seed) => {
      const x = randomTensor(shape, seed);
      gradcheck((t) => sum(t, dim, keepdim), [x]);
      gradcheck((t) => mean(t, dim, keepdim), [x]);
    },
  );

  test.prop([reductionArb, seedArb], { numRuns: 60 })(
    'output shapes follow keepdim; totals are preserved; mean = sum / count',
    ([shape, dim, keepdim], seed) => {
      const x = randomTensor(shape, seed, { requiresGrad: false });
      const s = sum(x, dim, keepdim);
      const m = mean(x, dim, keepdim);
      expect(s.shape).toEqual(expectedShape(shape, dim, keepdim));
      expect(m.shape).toEqual(s.shape);
      const total = Array.from(x.data).reduce((p, q) => p + q, 0);
      expect(Array.from(s.data).reduce((p, q) => p + q, 0)).toBeCloseTo(total, 10);
      const count = x.size / Math.max(s.size, 1);
      for (let i = 0; i < s.size; i++) expect(m.data[i] * count).toBeCloseTo(s.data[i], 10);
    },
  );

  test('sums over a dim by hand, with a negative dim and keepdim', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(sum(x, 0).toArray()).toEqual([5, 7, 9]);
    expect(x.sum(-1, true).toArray()).toEqual([[6], [15]]);
    expect(x.mean().item()).toBe(3.5);
    expect(x.sum([0, 1]).item()).toBe(21);
  });

  test('the output owns its storage even when nothing is folded', () => {
    const x = tensor([[1, 2]]);
    const s = sum(x, 0);
    s.data[0] = 100;
    expect(x.data[0]).toBe(1);
  });

  test('float32 sums accumulate in float64: a million float32 0.1s sum to 1e5 within float32 rounding', () => {
    // A float32 running sum drifts to about 100958 here; PyTorch's pairwise float32 sum stays at 1e5.
    const x = full([1_000_000], 0.1);
    const expected = Math.fround(0.1) * 1_000_000;
    expect(sum(x).item()).toBe(Math.fround(expected));
    expect(mean(x).item()).toBe(Math.fround(0.1));
  });

  test('rejects dims out of range and repeated dims', () => {
    const x = tensor([[1, 2]]);
    expect(() => sum(x, 2)).toThrow('sum: dim 2 is out of range for a tensor of rank 2');
    expect(() => mean(x, [0, -2])).toThrow('mean: dim 0 appears more than once in [0, -2]');
    expect(() => sum(x, 0.5)).toThrow('sum: dim 0.5 is out of range for a tensor of rank 2');
  });
});
