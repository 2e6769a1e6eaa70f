import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { maximum, minimum } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { broadcastPairArb, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { distinctValues } from './kink-free.js';

describe('maximum and minimum', () => {
  // Ties are kinks: both operands come from one shuffled grid (offset so they never share a value).
  test.prop([broadcastPairArb(), seedArb], { numRuns: 80 })(
    'gradients equal central finite differences under broadcasting, without ties (float64)',
    ([shapeA, shapeB], seed) => {
      const a = distinctValues(shapeA, seed);
      const b = distinctValues(shapeB, seed + 1, 0.05);
      gradcheck(maximum, [a, b]);
      gradcheck(minimum, [a, b]);
    },
  );

  test('ties split the gradient 0.5 / 0.5, like PyTorch 1.13', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([1, 1, 5], { requiresGrad: true });
    maximum(a, b).sum().backward();
    expect(Array.from(a.grad?.data ?? [])).toEqual([0.5, 1, 0]);
    expect(Array.from(b.grad?.data ?? [])).toEqual([0.5, 0, 1]);
    a.zeroGrad();
    b.zeroGrad();
    minimum(a, b).sum().backward();
    expect(Array.from(a.grad?.data ?? [])).toEqual([0.5, 0, 1]);
    expect(Array.from(b.grad?.data ?? [])).toEqual([0.5, 1, 0]);
  });

  test('a number operand broadcasts and NaN propagates, like torch.maximum', () => {
    expect(Array.from(maximum(tensor([-1, 2, Number.NaN]), 0).data)).toEqual([0, 2, Number.NaN]);
    expect(Array.from(minimum(0, tensor([-1, 2])).data)).toEqual([-1, 0]);
  });

  test('incompatible shapes are rejected naming the op', () => {
    expect(() => maximum(tensor([1, 2, 3]), tensor([1, 2]))).toThrow('maximum: shapes [3] and [2] cannot be broadcast');
  });
});
