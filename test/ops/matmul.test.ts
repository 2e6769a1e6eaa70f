import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { matmul } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

const dim = fc.integer({ min: 1, max: 5 });

describe('matmul', () => {
  test.prop([dim, dim, dim, seedArb])('2-D gradient equals finite differences', (m, k, n, seed) => {
    gradcheck(matmul, [randomTensor([m, k], seed), randomTensor([k, n], seed + 1)]);
  });

  test.prop([fc.constantFrom([2, 1], [1, 3], [2, 3], [3]), dim, dim, dim, seedArb])(
    'batched with broadcast batch dims: gradient equals finite differences',
    (batchA, m, k, n, seed) => {
      const batchB = batchA.length === 2 && batchA[0] === 2 && batchA[1] === 1 ? [3] : [1];
      gradcheck(matmul, [randomTensor([...batchA, m, k], seed), randomTensor([...batchB, k, n], seed + 1)]);
    },
  );

  test.prop([dim, dim, seedArb])('vector operands follow torch.matmul', (k, n, seed) => {
    const v = randomTensor([k], seed);
    const mtx = randomTensor([k, n], seed + 1);
    expect(matmul(v, mtx).shape).toEqual([n]);
    expect(matmul(mtx.detach().clone(), randomTensor([n], seed + 2)).shape).toEqual([k]);
    gradcheck(matmul, [v, mtx]);
  });

  test('small product by hand', () => {
    const out = matmul(
      tensor([
        [1, 2],
        [3, 4],
      ]),
      tensor([
        [5, 6],
        [7, 8],
      ]),
    );
    expect(out.toArray()).toEqual([
      [19, 22],
      [43, 50],
    ]);
  });

  test('mismatched inner dimensions name both shapes', () => {
    expect(() => matmul(tensor([[1, 2, 3]]), tensor([[1, 2]]))).toThrow(
      'matmul: inner dimensions differ: a is [1, 3], b is [1, 2] (3 vs 1)',
    );
  });
});
