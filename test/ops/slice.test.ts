import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { slice } from '../../src/ops/slice.js';
import { zeros } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { ravel, unravel } from './multi-index.js';

/** A shape, a dim, Python-style start/end (possibly negative or past the ends) and a step. */
const sliceCaseArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((shape) =>
  fc.integer({ min: 0, max: shape.length - 1 }).chain((dim) =>
    fc.record({
      shape: fc.constant(shape),
      dim: fc.constant(dim),
      start: fc.integer({ min: -shape[dim] - 2, max: shape[dim] + 2 }),
      end: fc.option(fc.integer({ min: -shape[dim] - 2, max: shape[dim] + 2 }), { nil: undefined }),
      step: fc.integer({ min: 1, max: 3 }),
    }),
  ),
);

describe('slice', () => {
  test.prop([sliceCaseArb, seedArb])(
    'picks the positions Array.prototype.slice picks (Python start:end semantics), every step-th',
    ({ shape, dim, start, end, step }, seed) => {
      const x = randomTensor(shape, seed);
      const picked = Array.from({ length: shape[dim] }, (_, i) => i)
        .slice(start, end)
        .filter((_, k) => k % step === 0);
      const out = slice(x, dim, start, end, step);
      expect(out.shape).toEqual(shape.map((s, k) => (k === dim ? picked.length : s)));
      for (let flat = 0; flat < out.size; flat++) {
        const index = unravel(flat, out.shape);
        index[dim] = picked[index[dim]];
        expect(out.data[flat]).toBe(x.data[ravel(index, shape)]);
      }
    },
  );

  test.prop([sliceCaseArb, seedArb])('gradient equals finite differences', ({ shape, dim, start, end, step }, seed) => {
    gradcheck((x) => slice(x, dim, start, end, step), [randomTensor(shape, seed)]);
  });

  test('negative dims count from the end', () => {
    expect(slice(zeros([2, 5]), -1, 1, -1).shape).toEqual([2, 3]);
  });

  test('rejects a non-positive step, non-integer bounds and dims out of range', () => {
    expect(() => slice(zeros([4]), 0, 0, 4, 0)).toThrow('slice: step must be a positive integer, got 0');
    expect(() => slice(zeros([4]), 0, 0.5)).toThrow('slice: start must be an integer, got 0.5');
    expect(() => slice(zeros([4]), 0, 0, Number.NaN)).toThrow('slice: end must be an integer, got NaN');
    expect(() => slice(zeros([4]), 1, 0)).toThrow('slice: dim 1 is out of range for a tensor of rank 1');
    expect(() => slice(zeros([]), 0, 0)).toThrow('slice: x is zero-dimensional; slice needs a tensor of rank >= 1');
  });
});
