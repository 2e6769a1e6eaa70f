import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { abs, exp, log, pow, sqrt } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { randomTensor, seedArb, shapeArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { awayFromZero } from './kink-free.js';

describe('elementwise math gradients equal central finite differences (float64)', () => {
  test.prop([shapeArb(), seedArb], { numRuns: 60 })('exp on any input', (shape, seed) => {
    gradcheck(exp, [randomTensor(shape, seed)]);
  });

  // log and sqrt are defined for positive inputs only; inputs stay >= 0.1 so x - eps stays in the domain.
  test.prop([shapeArb(), seedArb], { numRuns: 60 })('log and sqrt on inputs >= 0.1', (shape, seed) => {
    const x = awayFromZero(shape, seed, { positive: true });
    gradcheck(log, [x]);
    gradcheck(sqrt, [x]);
  });

  // abs has a kink at 0: inputs keep |x| >= 0.1.
  test.prop([shapeArb(), seedArb], { numRuns: 60 })('abs on inputs with |x| >= 0.1', (shape, seed) => {
    gradcheck(abs, [awayFromZero(shape, seed)]);
  });

  test.prop([shapeArb(), seedArb, fc.constantFrom(-2, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3)], { numRuns: 80 })(
    'pow with integer and fractional exponents on positive inputs',
    (shape, seed, exponent) => {
      gradcheck((x) => pow(x, exponent), [awayFromZero(shape, seed, { positive: true })]);
    },
  );

  test.prop([shapeArb(), seedArb, fc.constantFrom(2, 3, 4)], { numRuns: 60 })(
    'pow with integer exponents on inputs of any sign',
    (shape, seed, exponent) => {
      gradcheck((x) => pow(x, exponent), [randomTensor(shape, seed)]);
    },
  );
});

describe('elementwise math forward', () => {
  test.prop([shapeArb(), seedArb], { numRuns: 50 })('log inverts exp and sqrt squares back', (shape, seed) => {
    const x = randomTensor(shape, seed);
    const back = log(exp(x)).data;
    const positive = abs(x);
    const squared = pow(sqrt(positive), 2).data;
    for (let i = 0; i < x.size; i++) {
      expect(back[i]).toBeCloseTo(x.data[i], 12);
      expect(squared[i]).toBeCloseTo(positive.data[i], 12);
    }
  });

  test('values at the domain edges follow PyTorch: log(0) = -inf, log(-1) = NaN, sqrt(-1) = NaN', () => {
    expect(Array.from(log(tensor([0, -1])).data)).toEqual([Number.NEGATIVE_INFINITY, Number.NaN]);
    expect(Number.isNaN(sqrt(tensor([-1])).data[0])).toBe(true);
  });

  test('abs and pow(0) pass zero gradient at 0 (sign(0) = 0; d x^0 / dx = 0), as in PyTorch', () => {
    const x = tensor([0, 1, -2], { dtype: 'float64', requiresGrad: true });
    abs(x).sum().backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual([0, 1, -1]);
    x.zeroGrad();
    pow(x, 0).sum().backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual([0, 0, 0]);
  });

  test('Tensor methods call the same ops', () => {
    const x = tensor([1, 4]);
    expect(Array.from(x.sqrt().data)).toEqual([1, 2]);
    expect(Array.from(x.pow(2).data)).toEqual([1, 16]);
    expect(Array.from(x.neg().abs().data)).toEqual([1, 4]);
    expect(x.exp().log().data[1]).toBeCloseTo(4, 5);
  });

  test('pow rejects a non-finite exponent', () => {
    expect(() => pow(tensor([1]), Number.NaN)).toThrow('pow: exponent must be a finite number, got NaN');
    expect(() => pow(tensor([1]), Number.POSITIVE_INFINITY)).toThrow(
      'pow: exponent must be a finite number, got Infinity',
    );
  });
});
