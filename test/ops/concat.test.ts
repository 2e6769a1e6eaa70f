import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { cat, stack } from '../../src/ops/concat.js';
import { unsqueeze } from '../../src/ops/reshape.js';
import { slice } from '../../src/ops/slice.js';
import { tensor, zeros } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

/** A base shape of rank 1..3, a dim, and 1..3 part shapes that differ from the base only in that dim (sizes 0..3). */
const catCaseArb = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }).chain((base) =>
  fc.integer({ min: 0, max: base.length - 1 }).chain((dim) =>
    fc.record({
      dim: fc.constant(dim),
      parts: fc
        .array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 })
        .map((sizes) => sizes.map((size) => base.map((d, k) => (k === dim ? size : d)))),
    }),
  ),
);

/** One shape of rank 0..3, 1..3 tensors of it, and a dim for a new axis. */
const stackCaseArb = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }).chain((shape) =>
  fc.record({
    shape: fc.constant(shape),
    count: fc.integer({ min: 1, max: 3 }),
    dim: fc.integer({ min: -shape.length - 1, max: shape.length }),
  }),
);

describe('cat', () => {
  test.prop([catCaseArb, seedArb])(
    'slicing the result at the part boundaries gives back the parts',
    ({ dim, parts }, seed) => {
      const inputs = parts.map((shape, i) => randomTensor(shape, seed + i));
      const out = cat(inputs, dim);
      let start = 0;
      for (const input of inputs) {
        const end = start + input.shape[dim];
        const part = slice(out, dim, start, end);
        expect(part.shape).toEqual(input.shape);
        expect(Array.from(part.data)).toEqual(Array.from(input.data));
        start = end;
      }
      expect(out.shape[dim]).toBe(start);
    },
  );

  test.prop([catCaseArb, seedArb])('gradient equals finite differences for every part', ({ dim, parts }, seed) => {
    gradcheck(
      (...inputs) => cat(inputs, dim),
      parts.map((shape, i) => randomTensor(shape, seed + i)),
    );
  });

  test.prop([catCaseArb, seedArb])(
    'a tensor joined with itself gets the sum of both slices of the gradient',
    ({ dim, parts }, seed) => {
      gradcheck((x) => cat([x, x], dim), [randomTensor(parts[0], seed)]);
    },
  );

  test('joins along a negative dim and promotes mixed dtypes to float64', () => {
    const out = cat([tensor([[1], [2]]), tensor([[3], [4]], { dtype: 'float64' })], -1);
    expect(out.dtype).toBe('float64');
    expect(out.toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  test('rejects shapes that differ outside dim, naming the expected pattern', () => {
    expect(() => cat([zeros([2, 3, 5]), zeros([2, 4, 6])], 1)).toThrow(
      'cat: tensor 1 has shape [2, 4, 6] but expected [2, *, 5] matching tensor 0 except in dim 1',
    );
    expect(() => cat([zeros([2, 3]), zeros([2, 4])], 0)).toThrow(
      'cat: tensor 1 has shape [2, 4] but expected [*, 3] matching tensor 0 except in dim 0',
    );
  });

  test('rejects rank mismatches, scalars, empty lists, non-tensors and dims out of range', () => {
    expect(() => cat([zeros([2, 3]), zeros([6])])).toThrow('cat: tensor 1 has rank 1 but tensor 0 has rank 2');
    expect(() => cat([zeros([])])).toThrow('cat: tensor 0 is zero-dimensional; cat needs tensors of rank >= 1');
    expect(() => cat([])).toThrow('cat: tensors must be a non-empty array of tensors');
    expect(() => cat([zeros([2]), [1, 2] as never])).toThrow('cat: tensor 1 must be a Tensor, got 1,2');
    expect(() => cat([zeros([2])], 1)).toThrow('cat: dim 1 is out of range for a tensor of rank 1');
  });
});

describe('stack', () => {
  test.prop([stackCaseArb, seedArb])('equals cat of the inputs unsqueezed at dim', ({ shape, count, dim }, seed) => {
    const inputs = Array.from({ length: count }, (_, i) => randomTensor(shape, seed + i));
    const stacked = stack(inputs, dim);
    const expected = cat(
      inputs.map((t) => unsqueeze(t, dim)),
      dim < 0 ? dim + shape.length + 1 : dim,
    );
    expect(stacked.shape).toEqual(expected.shape);
    expect(Array.from(stacked.data)).toEqual(Array.from(expected.data));
  });

  test.prop([stackCaseArb, seedArb])('gradient equals finite differences', ({ shape, count, dim }, seed) => {
    gradcheck(
      (...inputs) => stack(inputs, dim),
      Array.from({ length: count }, (_, i) => randomTensor(shape, seed + i)),
    );
  });

  test('rejects tensors of different shapes and dims out of range', () => {
    expect(() => stack([zeros([2, 3]), zeros([2, 4])])).toThrow(
      'stack: tensor 1 has shape [2, 4] but tensor 0 has shape [2, 3]',
    );
    expect(() => stack([zeros([2])], 2)).toThrow(
      'stack: dim 2 is out of range [-2, 1] for inserting into a tensor of rank 1',
    );
  });
});
