import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { add, div, mul, neg, sub } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { broadcastPairArb, randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

describe('arithmetic gradients equal central finite differences (float64)', () => {
  test.prop([broadcastPairArb(), seedArb])('add, sub and mul under broadcasting', ([shapeA, shapeB], seed) => {
    const a = randomTensor(shapeA, seed);
    const b = randomTensor(shapeB, seed + 1);
    gradcheck(add, [a, b]);
    gradcheck(sub, [a, b]);
    gradcheck(mul, [a, b]);
    gradcheck((x) => neg(x), [a]);
  });

  test.prop([broadcastPairArb(), seedArb])('div away from zero denominators', ([shapeA, shapeB], seed) => {
    const a = randomTensor(shapeA, seed);
    const b = randomTensor(shapeB, seed + 1, { low: 0.5, high: 2 });
    gradcheck(div, [a, b]);
  });
});

describe('arithmetic forward', () => {
  test('broadcasts a row over a matrix like NumPy', () => {
    const out = add(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      tensor([10, 20, 30]),
    );
    expect(out.toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
  });

  test('a number operand acts as a scalar of the tensor dtype', () => {
    const out = mul(tensor([1, 2], { dtype: 'float64' }), 3);
    expect(out.dtype).toBe('float64');
    expect(out.toArray()).toEqual([3, 6]);
  });

  test('incompatible shapes are rejected naming the op and both shapes', () => {
    expect(() => add(tensor([1, 2, 3]), tensor([1, 2]))).toThrow('add: shapes [3] and [2] cannot be broadcast');
  });

  test('NaN scalar operands are rejected', () => {
    expect(() => mul(tensor([1]), Number.NaN)).toThrow('mul: b must be a tensor or a number');
  });
});
