import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { gather } from '../../src/ops/gather.js';
import { tensor, zeros } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { indexedCaseArb } from './indexed-case.js';
import { ravel, unravel } from './multi-index.js';

describe('gather', () => {
  test.prop([indexedCaseArb, seedArb])(
    'out[i] = x[i with dim replaced by index[i]] by manual lookup',
    ({ shape, dim, indexShape, values }, seed) => {
      const x = randomTensor(shape, seed);
      const out = gather(x, dim, tensor(values, { shape: indexShape }));
      expect(out.shape).toEqual(indexShape);
      for (let flat = 0; flat < out.size; flat++) {
        const at = unravel(flat, indexShape);
        at[dim] = values[flat];
        expect(out.data[flat]).toBe(x.data[ravel(at, shape)]);
      }
    },
  );

  test.prop([indexedCaseArb, seedArb])(
    'gradient (repeated reads accumulate) equals finite differences',
    ({ shape, dim, indexShape, values }, seed) => {
      const index = tensor(values, { shape: indexShape });
      gradcheck((x) => gather(x, dim, index), [randomTensor(shape, seed)]);
    },
  );

  test('picks per-row classes, as a loss does with gather(logits, 1, labels)', () => {
    const logits = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(gather(logits, 1, tensor([[2], [0]])).toArray()).toEqual([[3], [4]]);
  });

  test('rejects out-of-range and non-integer indices', () => {
    expect(() => gather(zeros([2, 3]), 1, tensor([[0], [5]]))).toThrow(
      'gather: index 5 out of range for dim 1 of size 3',
    );
    expect(() => gather(zeros([2, 3]), 1, tensor([[0], [-1]]))).toThrow(
      'gather: index -1 out of range for dim 1 of size 3',
    );
    expect(() => gather(zeros([2, 3]), 1, tensor([[0.5], [1]]))).toThrow(
      'gather: index must hold integers, got 0.5 at position 0',
    );
  });

  test('rejects an index of another rank or larger than x outside dim', () => {
    expect(() => gather(zeros([2, 3]), 1, tensor([0, 1]))).toThrow(
      'gather: index has rank 1 (shape [2]) but x has rank 2 (shape [2, 3])',
    );
    expect(() => gather(zeros([2, 3]), 1, zeros([3, 1]))).toThrow(
      'gather: index has shape [3, 1] but x has shape [2, 3]; index may not be larger than x in dim 0 (any dim but 1)',
    );
    expect(() => gather(zeros([2, 3]), 2, zeros([2, 1]))).toThrow(
      'gather: dim 2 is out of range for a tensor of rank 2',
    );
    expect(() => gather(zeros([2, 3]), 1, [0] as never)).toThrow('gather: index must be a Tensor, got 0');
  });
});
