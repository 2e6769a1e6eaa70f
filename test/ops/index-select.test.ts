import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { indexSelect } from '../../src/ops/index-select.js';
import { tensor, zeros } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { ravel, unravel } from './multi-index.js';

/** A shape of rank 1..3, a dim, and 0..5 indices along it (repeats allowed). */
const indexSelectCaseArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((shape) =>
  fc.integer({ min: 0, max: shape.length - 1 }).chain((dim) =>
    fc.record({
      shape: fc.constant(shape),
      dim: fc.constant(dim),
      index: fc.array(fc.integer({ min: 0, max: shape[dim] - 1 }), { maxLength: 5 }),
    }),
  ),
);

describe('indexSelect', () => {
  test.prop([indexSelectCaseArb, seedArb])(
    'out[.., j, ..] = x[.., index[j], ..] by manual lookup',
    ({ shape, dim, index }, seed) => {
      const x = randomTensor(shape, seed);
      for (const asIndices of [index, tensor(index), Int32Array.from(index)]) {
        const out = indexSelect(x, dim, asIndices);
        expect(out.shape).toEqual(shape.map((s, k) => (k === dim ? index.length : s)));
        for (let flat = 0; flat < out.size; flat++) {
          const at = unravel(flat, out.shape);
          at[dim] = index[at[dim]];
          expect(out.data[flat]).toBe(x.data[ravel(at, shape)]);
        }
      }
    },
  );

  test.prop([indexSelectCaseArb, seedArb])(
    'gradient (repeated rows accumulate) equals finite differences',
    ({ shape, dim, index }, seed) => {
      gradcheck((x) => indexSelect(x, dim, index), [randomTensor(shape, seed)]);
    },
  );

  test('rejects out-of-range and non-integer indices, 2-D indices and bad dims', () => {
    expect(() => indexSelect(zeros([2, 3]), 1, [0, 3])).toThrow(
      'indexSelect: index 3 out of range for dim 1 of size 3',
    );
    expect(() => indexSelect(zeros([2, 3]), 0, tensor([0.5]))).toThrow(
      'indexSelect: index must hold integers, got 0.5 at position 0',
    );
    expect(() => indexSelect(zeros([2, 3]), 0, tensor([[0], [1]]))).toThrow(
      'indexSelect: index must be 1-D, got shape [2, 1]',
    );
    expect(() => indexSelect(zeros([2, 3]), 2, [0])).toThrow(
      'indexSelect: dim 2 is out of range for a tensor of rank 2',
    );
  });
});
