import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { argmax, max, min } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { seedArb, shapeArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { dimArb, distinctValues } from './kink-free.js';

/** A non-empty shape, a dim of it or undefined (full reduction), and keepdim. */
const selectionArb = shapeArb(1, 3, 4).chain((shape) =>
  fc.tuple(fc.constant(shape), fc.option(dimArb(shape.length), { nil: undefined }), fc.boolean()),
);

describe('max, min and argmax', () => {
  // Ties are kinks: values come from a shuffled grid with gaps >= 0.05, so the winner never changes under eps.
  test.prop([selectionArb, seedArb], { numRuns: 80 })(
    'gradients equal central finite differences without ties, over random dims and keepdim (float64)',
    ([shape, dim, keepdim], seed) => {
      const x = distinctValues(shape, seed);
      gradcheck((t) => max(t, dim, keepdim), [x]);
      gradcheck((t) => min(t, dim, keepdim), [x]);
    },
  );

  test.prop([selectionArb, seedArb], { numRuns: 60 })(
    'argmax picks the position of max: gathering at it gives the max values',
    ([shape, dim, keepdim], seed) => {
      const x = distinctValues(shape, seed);
      const values = max(x, dim, keepdim);
      const indices = argmax(x, dim, keepdim);
      expect(indices.shape).toEqual(values.shape);
      const d = dim === undefined ? undefined : (dim + shape.length) % shape.length;
      const inner = d === undefined ? 1 : shape.slice(d + 1).reduce((p, q) => p * q, 1);
      const size = d === undefined ? x.size : shape[d];
      for (let k = 0; k < values.size; k++) {
        const outerIndex = Math.floor(k / inner);
        const flat = outerIndex * size * inner + indices.data[k] * inner + (k % inner);
        expect(x.data[flat]).toBe(values.data[k]);
        for (let j = 0; j < size; j++)
          expect(x.data[outerIndex * size * inner + j * inner + (k % inner)]).toBeLessThanOrEqual(values.data[k]);
      }
    },
  );

  test('full reduction splits the gradient evenly among ties; a dim reduction gives it to the first (PyTorch 1.13)', () => {
    // Expected values from torch 1.13: x = [[1, 3], [3, 0]]; x.max().backward() gives [[0, .5], [.5, 0]],
    // x.max(dim=0).values.sum().backward() gives [[0, 1], [1, 0]].
    const x = tensor(
      [
        [1, 3],
        [3, 0],
      ],
      { requiresGrad: true },
    );
    x.max().backward();
    expect(x.grad?.toArray()).toEqual([
      [0, 0.5],
      [0.5, 0],
    ]);
    x.zeroGrad();
    max(x, 0).sum().backward();
    expect(x.grad?.toArray()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    x.zeroGrad();
    const y = tensor([2, 2, 2], { requiresGrad: true });
    max(y, 0).backward();
    expect(Array.from(y.grad?.data ?? [])).toEqual([1, 0, 0]);
    expect(argmax(y).item()).toBe(0);
  });

  test('values and indices by hand; NaN propagates like in PyTorch', () => {
    const x = tensor([
      [1, 5, 2],
      [7, 0, 7],
    ]);
    expect(max(x, 1).toArray()).toEqual([5, 7]);
    expect(x.min(0, true).toArray()).toEqual([[1, 0, 2]]);
    expect(argmax(x, 1).toArray()).toEqual([1, 0]);
    expect(x.argmax().item()).toBe(3);
    expect(argmax(x, 0, true).toArray()).toEqual([[1, 0, 1]]);
    expect(max(tensor([1, Number.NaN, 3])).item()).toBeNaN();
    expect(argmax(tensor([1, Number.NaN, 3])).item()).toBe(1);
    // A NaN result shares the full-reduction gradient among the NaNs (PyTorch's evenly_distribute_backward).
    const withNaN = tensor([Number.NaN, 2, Number.NaN], { requiresGrad: true });
    withNaN.max().backward();
    expect(Array.from(withNaN.grad?.data ?? [])).toEqual([0.5, 0, 0.5]);
  });

  test('rejects dims out of range and empty reductions', () => {
    expect(() => max(tensor([[1, 2]]), 2)).toThrow('max: dim 2 is out of range for a tensor of rank 2');
    expect(() => argmax(tensor([1]), -2)).toThrow('argmax: dim -2 is out of range for a tensor of rank 1');
    expect(() => min(tensor([]))).toThrow('min: cannot reduce an empty tensor (input shape [0])');
    expect(() => max(tensor([], { shape: [2, 0] }), 1)).toThrow(
      'max: cannot reduce dim 1 of size 0 (input shape [2, 0])',
    );
  });
});
