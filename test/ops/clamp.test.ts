import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { clamp } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { randomTensor, seedArb, shapeArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

/** Moves values within 0.05 of a bound 0.1 away from it, so finite differences never straddle a bound. */
function awayFromBounds(x: Tensor, bounds: readonly number[]): Tensor {
  const data = x.data.map((v) => {
    const near = bounds.find((b) => Math.abs(v - b) < 0.05);
    return near === undefined ? v : v + (v < near ? -0.1 : 0.1);
  });
  return new Tensor(data, x.shape, true);
}

const boundsArb = fc
  .tuple(fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.double({ min: 0.2, max: 2, noNaN: true }))
  .map(([low, width]) => [low, low + width] as const);

describe('clamp', () => {
  test.prop([shapeArb(), seedArb, boundsArb, fc.constantFrom('both', 'min', 'max')], { numRuns: 80 })(
    'gradient equals central finite differences away from the bounds (float64)',
    (shape, seed, [low, high], which) => {
      const x = awayFromBounds(randomTensor(shape, seed), [low, high]);
      const min = which === 'max' ? undefined : low;
      const max = which === 'min' ? undefined : high;
      gradcheck((t) => clamp(t, min, max), [x]);
    },
  );

  test.prop([shapeArb(), seedArb, boundsArb], { numRuns: 50 })(
    'results lie within [min, max]',
    (shape, seed, [low, high]) => {
      const y = clamp(randomTensor(shape, seed), low, high);
      for (const v of y.data) {
        expect(v).toBeGreaterThanOrEqual(low);
        expect(v).toBeLessThanOrEqual(high);
      }
    },
  );

  test('gradient is 1 on the bounds themselves and 0 outside (PyTorch convention)', () => {
    const x = tensor([-2, -1, 0, 1, 2], { requiresGrad: true });
    const y = x.clamp(-1, 1);
    expect(Array.from(y.data)).toEqual([-1, -1, 0, 1, 1]);
    y.sum().backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual([0, 1, 1, 1, 0]);
  });

  test('min > max gives max everywhere, like torch.clamp', () => {
    expect(Array.from(clamp(tensor([-5, 0, 5]), 2, 1).data)).toEqual([1, 1, 1]);
  });

  test('rejects missing and NaN bounds', () => {
    expect(() => clamp(tensor([1]))).toThrow('clamp: at least one of min and max must be given');
    expect(() => clamp(tensor([1]), Number.NaN)).toThrow('clamp: min must be a number or undefined, got NaN');
    expect(() => clamp(tensor([1]), 0, Number.NaN)).toThrow('clamp: max must be a number or undefined, got NaN');
  });
});
