import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { normalize } from '../../src/ops/index.js';
import { tensor, zeros } from '../../src/tensor/index.js';
import { seedArb, shapeArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { awayFromZero, dimArb } from './kink-free.js';

const rowsArb = shapeArb(1, 3, 4).chain((shape) => fc.tuple(fc.constant(shape), dimArb(shape.length)));

/** The p-norms along dim of `values`, one per vector. */
function norms(values: ArrayLike<number>, shape: readonly number[], dim: number, p: number): number[] {
  const d = (dim + shape.length) % shape.length;
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const size = shape[d];
  const out: number[] = [];
  for (let o = 0; o < values.length / (size * inner); o++) {
    for (let i = 0; i < inner; i++) {
      let total = 0;
      for (let j = 0; j < size; j++) total += Math.abs(values[o * size * inner + j * inner + i]) ** p;
      out.push(total ** (1 / p));
    }
  }
  return out;
}

describe('normalize', () => {
  // p = 1 and p = 1.5 have kinks at 0, so every element keeps |x| >= 0.1.
  test.prop([rowsArb, seedArb, fc.constantFrom(1, 1.5, 2, 3)], { numRuns: 80 })(
    'gradient equals central finite differences for p in {1, 1.5, 2, 3} along a random dim (float64)',
    ([shape, dim], seed, p) => {
      gradcheck((t) => normalize(t, { p, dim }), [awayFromZero(shape, seed)]);
    },
  );

  test.prop([rowsArb, seedArb, fc.constantFrom(1, 2, 3)], { numRuns: 60 })(
    'non-zero vectors come out with unit p-norm and the same direction',
    ([shape, dim], seed, p) => {
      const x = awayFromZero(shape, seed);
      const y = normalize(x, { p, dim });
      for (const n of norms(y.data, shape, dim, p)) expect(n).toBeCloseTo(1, 12);
      for (let i = 0; i < x.size; i++) expect(Math.sign(y.data[i])).toBe(Math.sign(x.data[i]));
    },
  );

  test('defaults are p = 2, dim = 1: rows of a matrix, as torch.nn.functional.normalize', () => {
    expect(
      normalize(
        tensor(
          [
            [3, 4],
            [0, 5],
          ],
          { dtype: 'float64' },
        ),
      ).toArray(),
    ).toEqual([
      [0.6, 0.8],
      [0, 1],
    ]);
  });

  test('a zero vector maps to zero, with gradient g / eps, like PyTorch', () => {
    // torch 1.13: F.normalize(torch.zeros(2, 3, requires_grad=True)).sum().backward() gives grad 1e12 everywhere.
    const x = zeros([2, 3], { dtype: 'float64', requiresGrad: true });
    const y = normalize(x);
    expect(Array.from(y.data)).toEqual([0, 0, 0, 0, 0, 0]);
    y.sum().backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual(new Array(6).fill(1e12));
  });

  test('rejects bad p, eps and dim', () => {
    const x = tensor([[1, 2]]);
    expect(() => normalize(x, { p: 0 })).toThrow('normalize: p must be a finite number > 0, got 0');
    expect(() => normalize(x, { p: Number.NaN })).toThrow('normalize: p must be a finite number > 0, got NaN');
    expect(() => normalize(x, { eps: -1 })).toThrow('normalize: eps must be a finite number >= 0, got -1');
    expect(() => normalize(tensor([1, 2]))).toThrow('normalize: dim 1 is out of range for a tensor of rank 1');
  });
});
