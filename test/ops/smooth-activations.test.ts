import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { cos, erf, gelu, sigmoid, silu, sin, softplus, tanh } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { randomTensor, seedArb, shapeArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

describe('smooth activations and trigonometry: gradients equal central finite differences (float64)', () => {
  test.prop([shapeArb(), seedArb], { numRuns: 40 })('tanh, sin, cos and erf on any input', (shape, seed) => {
    const x = randomTensor(shape, seed, { low: -4, high: 4 });
    gradcheck(tanh, [x]);
    gradcheck(sin, [x]);
    gradcheck(cos, [x]);
    gradcheck(erf, [x]);
  });

  test.prop([shapeArb(), seedArb], { numRuns: 40 })('gelu, silu and softplus on any input', (shape, seed) => {
    const x = randomTensor(shape, seed, { low: -6, high: 6 });
    gradcheck(gelu, [x]);
    gradcheck(silu, [x]);
    gradcheck((t) => softplus(t), [x]);
  });

  test.prop([shapeArb(), seedArb, fc.constantFrom(0.5, 1, 2, -1)], { numRuns: 40 })(
    'softplus with any beta below its threshold',
    (shape, seed, beta) => {
      gradcheck((x) => softplus(x, { beta }), [randomTensor(shape, seed, { low: -5, high: 5 })]);
    },
  );
});

describe('smooth activations forward', () => {
  test.prop([shapeArb(), seedArb], { numRuns: 40 })(
    'sin^2 + cos^2 = 1 and tanh(x) = 2 sigmoid(2x) - 1',
    (shape, seed) => {
      const x = randomTensor(shape, seed, { requiresGrad: false });
      const s = sin(x).data;
      const c = cos(x).data;
      const t = tanh(x).data;
      const logistic = sigmoid(x.mul(2)).data;
      for (let i = 0; i < x.size; i++) {
        expect(s[i] ** 2 + c[i] ** 2).toBeCloseTo(1, 14);
        expect(t[i]).toBeCloseTo(2 * logistic[i] - 1, 14);
      }
    },
  );

  test('erf matches reference values to 1e-15 and is odd', () => {
    // Reference values from the defining integral (Abramowitz and Stegun table 7.1).
    const reference: [number, number][] = [
      [0, 0],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [5, 0.9999999999984626],
    ];
    const values = erf(
      tensor(
        reference.map(([v]) => v),
        { dtype: 'float64' },
      ),
    ).data;
    const negated = erf(
      tensor(
        reference.map(([v]) => -v),
        { dtype: 'float64' },
      ),
    ).data;
    reference.forEach(([, want], i) => {
      expect(Math.abs(values[i] - want)).toBeLessThan(1e-15);
      expect(negated[i]).toBe(-values[i]);
    });
    expect(Array.from(erf(tensor([6, -30, Number.POSITIVE_INFINITY])).data)).toEqual([1, -1, 1]);
  });

  test('softplus is the identity above its threshold and never overflows', () => {
    const x = tensor([1000, 25, -1000], { dtype: 'float64', requiresGrad: true });
    const y = softplus(x);
    expect(Array.from(y.data)).toEqual([1000, 25, 0]);
    y.sum().backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual([1, 1, 0]);
    expect(softplus(tensor([1]), { beta: 2, threshold: 1 }).data[0]).toBe(1);
  });

  test('gelu, silu and tanh saturate without NaN for |x| = 1000', () => {
    const x = tensor([1000, -1000], { dtype: 'float64' });
    expect(Array.from(gelu(x).data)).toEqual([1000, -0]);
    expect(Array.from(silu(x).data)).toEqual([1000, -0]);
    expect(Array.from(tanh(x).data)).toEqual([1, -1]);
  });

  test('softplus rejects a zero or non-finite beta, naming the argument', () => {
    expect(() => softplus(tensor([1]), { beta: 0 })).toThrow('softplus: beta must be nonzero, got 0');
    expect(() => softplus(tensor([1]), { threshold: Number.NaN })).toThrow(
      'softplus: threshold must be a finite number, got NaN',
    );
  });

  test('Tensor methods call the same ops', () => {
    const x = tensor([0.5, -1]);
    expect(Array.from(x.tanh().data)).toEqual(Array.from(tanh(x).data));
    expect(Array.from(x.sin().data)).toEqual(Array.from(sin(x).data));
    expect(Array.from(x.cos().data)).toEqual(Array.from(cos(x).data));
  });
});
