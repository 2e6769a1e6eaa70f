import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { arcFaceMargin, marginSine } from '../../src/heads/index.js';
import type { DType } from '../../src/tensor/dtype.js';
import { tensor } from '../../src/tensor/index.js';

/** The float closest to x in the given dtype. */
const round = (dtype: DType, x: number): number => (dtype === 'float32' ? Math.fround(x) : x);

/**
 * phi for one cosine, replaying the op sequence of arcFaceMargin with the dtype's rounding at every
 * step (scalars are rounded to the tensor's dtype first, as PyTorch does with Python scalars), on the
 * branch the reference recipe's rule `cos > cos(pi - m)` selects. The branches differ by cos(m) + m sin(m) - 1 at
 * the threshold, so an off-by-one comparison (>=) would fail here.
 */
function expectedPhi(dtype: DType, c: number, m: number): number {
  const r = (x: number) => round(dtype, x);
  const threshold = r(Math.cos(Math.PI - m));
  if (c > threshold) {
    const sine = r(Math.sqrt(Math.min(1, Math.max(0, 1 - c * c))));
    return r(r(c * r(Math.cos(m))) - r(sine * r(Math.sin(m))));
  }
  return r(c - r(Math.sin(Math.PI - m) * m));
}

const marginArb = fc.double({ min: 0.01, max: 1.5, noNaN: true });
const dtypeArb = fc.constantFrom<DType>('float32', 'float64');

/** Cosines in [-1, 1] plus the places that matter: the threshold itself, its float neighbours, 0, +-1. */
function cosinesFor(dtype: DType, m: number, random: number[]): number[] {
  const threshold = round(dtype, Math.cos(Math.PI - m));
  const step = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
  return [...random.map((c) => round(dtype, c)), threshold, threshold + step, threshold - step, -1, 0, 1];
}

describe('ArcFace margin phi(cos)', () => {
  test.prop([dtypeArb, marginArb, fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { maxLength: 20 })], {
    numRuns: 200,
  })('the fallback is taken exactly where cos <= cos(pi - m), at the threshold itself too', (dtype, m, random) => {
    const cosines = cosinesFor(dtype, m, random);
    const phi = arcFaceMargin(tensor(cosines, { dtype }), { m });
    const threshold = round(dtype, Math.cos(Math.PI - m));
    cosines.forEach((c, i) => {
      expect(phi.data[i]).toBe(expectedPhi(dtype, c, m));
    });
    // The threshold cosine itself must use the fallback value.
    expect(phi.data[random.length]).toBe(round(dtype, threshold - round(dtype, Math.sin(Math.PI - m) * m)));
  });

  test.prop([marginArb, fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { maxLength: 20 })], { numRuns: 200 })(
    'phi < cos for every cos in [-1, 1] (float64); easy margin gives phi <= cos',
    (m, random) => {
      const cosines = cosinesFor('float64', m, random);
      const input = tensor(cosines, { dtype: 'float64' });
      const phi = arcFaceMargin(input, { m });
      const easy = arcFaceMargin(input, { m, easyMargin: true });
      cosines.forEach((c, i) => {
        expect(phi.data[i]).toBeLessThan(c);
        expect(easy.data[i]).toBeLessThanOrEqual(c);
        // m < pi/2 puts cos(pi - m) below 0, so for c > 0 expectedPhi is the margin branch.
        expect(easy.data[i]).toBe(c > 0 ? expectedPhi('float64', c, m) : c);
      });
    },
  );

  test.prop(
    [
      fc.double({ min: 0.01, max: Math.PI / 2, noNaN: true }),
      fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 2, maxLength: 40 }),
    ],
    { numRuns: 200 },
  )('phi is non-increasing in theta over [0, pi] (float64), across the jump at the fallback', (m, steps) => {
    // Angles on a grid of pi / 1e6, far coarser than float64 rounding, so monotonicity is exact.
    const thetas = [...steps].sort((a, b) => a - b).map((k) => (k * Math.PI) / 1_000_000);
    const phi = arcFaceMargin(tensor(thetas.map(Math.cos), { dtype: 'float64' }), { m });
    for (let i = 1; i < thetas.length; i++) expect(phi.data[i]).toBeLessThanOrEqual(phi.data[i - 1]);
  });

  test('the fallback jump at cos(pi - m) is cos(m) + m sin(m) - 1 (0.1173 for m = 0.5), as the reference recipe notes', () => {
    const m = 0.5;
    const threshold = Math.cos(Math.PI - m);
    const phi = arcFaceMargin(tensor([threshold + 1e-12, threshold], { dtype: 'float64' }), { m });
    expect(phi.data[0] - phi.data[1]).toBeCloseTo(Math.cos(m) + m * Math.sin(m) - 1, 9);
    expect(Math.cos(m) + m * Math.sin(m) - 1).toBeCloseTo(0.1173, 4);
  });
});

describe('marginSine: sqrt(1 - cos^2) with a finite derivative everywhere', () => {
  test.prop([dtypeArb, fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { maxLength: 20 })], { numRuns: 200 })(
    'values lie in [0, 1]; d/dcos = -cos/sin inside, 0 at |cos| = 1 (the documented boundary choice)',
    (dtype, random) => {
      const cosines = [...random, -1, 1, 0];
      const input = tensor(cosines, { dtype, requiresGrad: true });
      const sine = marginSine(input);
      sine.backward(
        tensor(
          cosines.map(() => 1),
          { dtype },
        ),
      );
      cosines.forEach((_, i) => {
        const c = input.data[i];
        const s = sine.data[i];
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        const grad = input.grad?.data[i] ?? Number.NaN;
        expect(Number.isFinite(grad)).toBe(true);
        if (s === 0) expect(grad).toBe(0);
        else expect(grad).toBeCloseTo(-c / s, 6);
      });
    },
  );

  test('ArcFace margin gradient at cos = +1 is cos(m), at cos = -1 it is 1 (fallback); PyTorch gives NaN', () => {
    const m = 0.5;
    const input = tensor([1, -1], { dtype: 'float64', requiresGrad: true });
    arcFaceMargin(input, { m }).backward(tensor([1, 1], { dtype: 'float64' }));
    expect(Array.from(input.grad?.data ?? [])).toEqual([Math.cos(m), 1]);
  });
});
