import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { permute, transpose } from '../../src/ops/permute.js';
import { zeros } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { ravel, unravel } from './multi-index.js';

/** A shape of rank 0..4 and a permutation of its dims. */
const shapeAndPermutationArb = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 }).chain((shape) =>
  fc.tuple(
    fc.constant(shape),
    fc.shuffledSubarray(
      shape.map((_, i) => i),
      { minLength: shape.length, maxLength: shape.length },
    ),
  ),
);

/** A shape of rank 1..4 and two of its dims. */
const shapeAndTwoDimsArb = fc
  .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 })
  .chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      fc.integer({ min: 0, max: shape.length - 1 }),
      fc.integer({ min: 0, max: shape.length - 1 }),
    ),
  );

describe('permute', () => {
  test.prop([shapeAndPermutationArb, seedArb])(
    'out[i_0, ..] = x[i at dims] element by element',
    ([shape, dims], seed) => {
      const x = randomTensor(shape, seed);
      const out = permute(x, dims);
      expect(out.shape).toEqual(dims.map((d) => shape[d]));
      for (let flat = 0; flat < out.size; flat++) {
        const outIndex = unravel(flat, out.shape);
        const xIndex = new Array<number>(shape.length);
        dims.forEach((d, i) => {
          xIndex[d] = outIndex[i];
        });
        expect(out.data[flat]).toBe(x.data[ravel(xIndex, shape)]);
      }
    },
  );

  test.prop([shapeAndPermutationArb, seedArb])(
    'permute then the inverse permutation is the identity',
    ([shape, dims], seed) => {
      const x = randomTensor(shape, seed);
      const inverse = new Array<number>(dims.length);
      dims.forEach((d, i) => {
        inverse[d] = i;
      });
      const back = permute(permute(x, dims), inverse);
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data)).toEqual(Array.from(x.data));
    },
  );

  test.prop([shapeAndPermutationArb, seedArb])('gradient equals finite differences', ([shape, dims], seed) => {
    gradcheck((x) => permute(x, dims), [randomTensor(shape, seed)]);
  });

  test('negative dims count from the end', () => {
    expect(permute(zeros([2, 3, 4]), [-1, 0, -2]).shape).toEqual([4, 2, 3]);
  });

  test('rejects a wrong number of dims, repeats and dims out of range', () => {
    expect(() => permute(zeros([2, 3]), [0])).toThrow('permute: dims [0] must list 2 dims for x of shape [2, 3]');
    expect(() => permute(zeros([2, 3]), [1, -1])).toThrow(
      'permute: dims [1, -1] repeat a dimension; expected a permutation of 0..1',
    );
    expect(() => permute(zeros([2, 3]), [0, 2])).toThrow('permute: dim 2 is out of range for a tensor of rank 2');
  });
});

describe('transpose', () => {
  test.prop([shapeAndTwoDimsArb, seedArb])('transposing twice is the identity', ([shape, a, b], seed) => {
    const x = randomTensor(shape, seed);
    const twice = transpose(transpose(x, a, b), a, b);
    expect(twice.shape).toEqual(shape);
    expect(Array.from(twice.data)).toEqual(Array.from(x.data));
  });

  test.prop([shapeAndTwoDimsArb, seedArb])(
    'equals permute with the two dims swapped, and its gradient equals finite differences',
    ([shape, a, b], seed) => {
      const x = randomTensor(shape, seed);
      const dims = shape.map((_, i) => (i === a ? b : i === b ? a : i));
      expect(Array.from(transpose(x, a, b).data)).toEqual(Array.from(permute(x, dims).data));
      gradcheck((t) => transpose(t, a, b), [x]);
    },
  );

  test('rejects dims out of range', () => {
    expect(() => transpose(zeros([2, 3]), 0, 2)).toThrow('transpose: dim 2 is out of range for a tensor of rank 2');
  });
});
