import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { eq, ge, gt, le, lt, ne } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { broadcastPairArb, randomTensor, seedArb } from '../helpers/arbitraries.js';

describe('comparisons', () => {
  test.prop([broadcastPairArb(), seedArb], { numRuns: 60 })(
    'give 0/1 without gradient and obey gt + le = 1, eq + ne = 1, ge = gt + eq',
    ([shapeA, shapeB], seed) => {
      const a = randomTensor(shapeA, seed);
      // Rounded values make equal pairs common.
      const b = randomTensor(shapeB, seed + 1).data.map(Math.round);
      const bt = tensor(Array.from(b), { shape: shapeB, dtype: 'float64' });
      const roundedA = tensor(Array.from(a.data, Math.round), { shape: shapeA, dtype: 'float64', requiresGrad: true });
      const results = [gt, ge, lt, le, eq, ne].map((f) => f(roundedA, bt));
      for (const r of results) {
        expect(r.requiresGrad).toBe(false);
        expect(r.data.every((v) => v === 0 || v === 1)).toBe(true);
      }
      const [g, gE, l, lE, e, n] = results.map((r) => r.data);
      for (let i = 0; i < g.length; i++) {
        expect(g[i] + lE[i]).toBe(1);
        expect(l[i] + gE[i]).toBe(1);
        expect(e[i] + n[i]).toBe(1);
        expect(gE[i]).toBe(g[i] + e[i]);
      }
    },
  );

  test('broadcast a number against a tensor', () => {
    expect(Array.from(gt(tensor([1, 2, 3]), 2).data)).toEqual([0, 0, 1]);
    expect(Array.from(le(2, tensor([1, 2, 3])).data)).toEqual([0, 1, 1]);
  });

  test('NaN equals nothing (IEEE 754)', () => {
    const x = tensor([Number.NaN]);
    expect(eq(x, x).data[0]).toBe(0);
    expect(ne(x, x).data[0]).toBe(1);
  });

  test('incompatible shapes are rejected naming the op', () => {
    expect(() => eq(tensor([1, 2, 3]), tensor([1, 2]))).toThrow('eq: shapes [3] and [2] cannot be broadcast');
  });
});
