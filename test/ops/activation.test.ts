import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { relu, sigmoid } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { randomTensor, seedArb, shapeArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { awayFromZero } from './kink-free.js';

describe('activation gradients equal central finite differences (float64)', () => {
  // relu has a kink at 0: inputs keep |x| >= 0.1.
  test.prop([shapeArb(), seedArb], { numRuns: 60 })('relu on inputs with |x| >= 0.1', (shape, seed) => {
    gradcheck(relu, [awayFromZero(shape, seed)]);
  });

  test.prop([shapeArb(), seedArb], { numRuns: 60 })('sigmoid on any input', (shape, seed) => {
    gradcheck(sigmoid, [randomTensor(shape, seed)]);
  });
});

describe('activation forward', () => {
  test('relu zeroes negatives and passes zero gradient at the kink x = 0 (PyTorch)', () => {
    const x = tensor([-1, 0, 2], { dtype: 'float64', requiresGrad: true });
    const y = relu(x);
    expect(Array.from(y.data)).toEqual([0, 0, 2]);
    y.sum().backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual([0, 0, 1]);
  });

  test.prop([shapeArb(), seedArb], { numRuns: 50 })('sigmoid(-x) = 1 - sigmoid(x)', (shape, seed) => {
    const x = randomTensor(shape, seed);
    const a = sigmoid(x).data;
    const b = sigmoid(x.neg()).data;
    for (let i = 0; i < a.length; i++) expect(a[i] + b[i]).toBeCloseTo(1, 14);
  });

  test('sigmoid saturates without overflow at logits of |1000|, with finite gradients', () => {
    const x = tensor([-1000, -100, 0, 100, 1000], { requiresGrad: true });
    const y = sigmoid(x);
    expect(Array.from(y.data)).toEqual([0, expect.closeTo(0, 40), 0.5, 1, 1]);
    y.sum().backward();
    expect(Array.from(x.grad?.data ?? []).every(Number.isFinite)).toBe(true);
    expect(x.grad?.data[2]).toBe(0.25);
  });

  test('Tensor methods call the same ops', () => {
    const x = tensor([-1, 0, 3]);
    expect(Array.from(x.relu().data)).toEqual([0, 0, 3]);
    expect(Array.from(x.sigmoid().data)).toEqual(Array.from(sigmoid(x).data));
  });
});
