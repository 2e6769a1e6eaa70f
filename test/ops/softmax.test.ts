import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { logSoftmax, softmax } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { randomTensor, seedArb, shapeArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { dimArb } from './kink-free.js';

/** A shape of rank >= 1 and one of its dims. */
const rowsArb = shapeArb(1, 3, 4).chain((shape) => fc.tuple(fc.constant(shape), dimArb(shape.length)));

/** Sums of `values` along `dim` of `shape`, one per row. */
function rowSums(values: ArrayLike<number>, shape: readonly number[], dim: number): number[] {
  const d = (dim + shape.length) % shape.length;
  const inner = shape.slice(d + 1).reduce((p, q) => p * q, 1);
  const size = shape[d];
  const sums: number[] = [];
  for (let o = 0; o < values.length / (size * inner); o++) {
    for (let i = 0; i < inner; i++) {
      let total = 0;
      for (let j = 0; j < size; j++) total += values[o * size * inner + j * inner + i];
      sums.push(total);
    }
  }
  return sums;
}

describe('softmax and logSoftmax', () => {
  test.prop([rowsArb, seedArb], { numRuns: 80 })(
    'gradients equal central finite differences along a random dim (float64)',
    ([shape, dim], seed) => {
      const x = randomTensor(shape, seed);
      gradcheck((t) => softmax(t, dim), [x]);
      gradcheck((t) => logSoftmax(t, dim), [x]);
    },
  );

  test.prop([rowsArb, seedArb, fc.constantFrom(1, 100, 1000)], { numRuns: 60 })(
    'softmax rows sum to 1 and lie in [0, 1], at logit scales up to 1000 (float32)',
    ([shape, dim], seed, scale) => {
      const x = randomTensor(shape, seed, { dtype: 'float32', requiresGrad: false }).mul(scale);
      const y = softmax(x, dim);
      for (const v of y.data) expect(v >= 0 && v <= 1).toBe(true);
      for (const s of rowSums(y.data, shape, dim)) expect(s).toBeCloseTo(1, 5);
    },
  );

  test.prop([rowsArb, seedArb], { numRuns: 60 })(
    'logSoftmax equals log(softmax) where both are finite, and exp(logSoftmax) rows sum to 1',
    ([shape, dim], seed) => {
      const x = randomTensor(shape, seed, { requiresGrad: false }).mul(5);
      const logY = logSoftmax(x, dim);
      const y = softmax(x, dim);
      for (let i = 0; i < y.size; i++) {
        const viaLog = Math.log(y.data[i]);
        if (Number.isFinite(viaLog)) expect(logY.data[i]).toBeCloseTo(viaLog, 10);
      }
      for (const s of rowSums(logY.data.map(Math.exp), shape, dim)) expect(s).toBeCloseTo(1, 12);
    },
  );

  test.prop([rowsArb, seedArb, fc.constantFrom(100, 1000), fc.constantFrom('float32', 'float64')], { numRuns: 60 })(
    'logSoftmax is stable at logits of +-100 and +-1000: finite values and gradients',
    ([shape, dim], seed, scale, dtype) => {
      // Signs drawn at random, magnitudes scale +- up to 2 * scale.
      const raw = randomTensor(shape, seed, { dtype, requiresGrad: false, low: -2 * scale, high: 2 * scale });
      const x = new Tensor(raw.data, shape, true);
      const out = logSoftmax(x, dim);
      expect(out.data.every(Number.isFinite)).toBe(true);
      expect(out.data.every((v) => v <= 0)).toBe(true);
      out.backward(randomTensor(shape, seed + 1, { dtype, requiresGrad: false }));
      expect(x.grad?.data.every(Number.isFinite)).toBe(true);
      const s = new Tensor(raw.data.slice(), shape, true);
      const y = softmax(s, dim);
      expect(y.data.every(Number.isFinite)).toBe(true);
      y.backward(randomTensor(shape, seed + 1, { dtype, requiresGrad: false }));
      expect(s.grad?.data.every(Number.isFinite)).toBe(true);
    },
  );

  test('extreme logits by hand: [1000, 0, -1000] gives [0, -1000, -2000] and softmax [1, 0, 0]', () => {
    const x = tensor([1000, 0, -1000], { requiresGrad: true });
    expect(Array.from(logSoftmax(x, 0).data)).toEqual([0, -1000, -2000]);
    expect(Array.from(x.softmax(-1).data)).toEqual([1, 0, 0]);
    x.logSoftmax(0).sum().backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual([-2, 1, 1]);
  });

  test('rejects a missing or out-of-range dim', () => {
    const x = tensor([[1, 2]]);
    expect(() => softmax(x, 2)).toThrow('softmax: dim 2 is out of range for a tensor of rank 2');
    expect(() => logSoftmax(x, undefined as unknown as number)).toThrow(
      'logSoftmax: dim is required and must be a number, got undefined',
    );
  });
});
