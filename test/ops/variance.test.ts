import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { mean, variance } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { randomTensor, seedArb, shapeArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { reductionDimArb } from './kink-free.js';

const varianceArb = shapeArb(0, 4, 3).chain((shape) =>
  fc.tuple(fc.constant(shape), reductionDimArb(shape.length), fc.boolean(), fc.boolean()),
);

describe('variance', () => {
  test.prop([varianceArb, seedArb], { numRuns: 80 })(
    'gradient equals central finite differences over random dims, unbiased and keepdim (float64)',
    ([shape, dim, unbiased, keepdim], seed) => {
      const x = randomTensor(shape, seed);
      const out = variance(x, dim, { unbiased, keepdim });
      const count = x.size / Math.max(out.size, 1);
      if (unbiased && count === 1) {
        // One sample has no unbiased variance: PyTorch returns NaN.
        expect(Array.from(out.data).every(Number.isNaN)).toBe(true);
        return;
      }
      gradcheck((t) => variance(t, dim, { unbiased, keepdim }), [x]);
    },
  );

  test.prop([varianceArb, seedArb], { numRuns: 60 })(
    'equals mean(x^2) - mean(x)^2, times N / (N - 1) when unbiased, and is shift invariant',
    ([shape, dim, unbiased, keepdim], seed) => {
      const x = randomTensor(shape, seed, { requiresGrad: false });
      const out = variance(x, dim, { unbiased, keepdim });
      const count = x.size / Math.max(out.size, 1);
      fc.pre(!(unbiased && count === 1));
      const meanSquare = mean(x.mul(x), dim, keepdim);
      const m = mean(x, dim, keepdim);
      const shifted = variance(x.add(1000), dim, { unbiased, keepdim });
      const factor = unbiased ? count / (count - 1) : 1;
      for (let i = 0; i < out.size; i++) {
        expect(out.data[i]).toBeCloseTo((meanSquare.data[i] - m.data[i] ** 2) * factor, 10);
        expect(shifted.data[i]).toBeCloseTo(out.data[i], 8);
      }
    },
  );

  test('matches torch.var by hand: var([1, 2]) = 0.5 unbiased, 0.25 biased', () => {
    const x = tensor([1, 2]);
    expect(x.var().item()).toBe(0.5);
    expect(variance(x, 0, { unbiased: false }).item()).toBe(0.25);
    expect(
      tensor([
        [1, 3],
        [2, 6],
      ])
        .var(1, { keepdim: true })
        .toArray(),
    ).toEqual([[2], [8]]);
  });

  test('rejects bad dims and option types', () => {
    expect(() => variance(tensor([1, 2]), 1)).toThrow('variance: dim 1 is out of range for a tensor of rank 1');
    expect(() => variance(tensor([1, 2]), 0, { unbiased: 1 as unknown as boolean })).toThrow(
      'variance: unbiased and keepdim must be booleans, got 1 and false',
    );
  });
});
