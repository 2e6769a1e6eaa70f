import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { dropout } from '../../src/ops/index.js';
import { ones, tensor } from '../../src/tensor/index.js';
import { Generator } from '../../src/tensor/random.js';
import { randomTensor, seedArb, shapeArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

const probabilityArb = fc.constantFrom(0, 0.1, 0.5, 0.9, 1);

describe('dropout', () => {
  // A fresh generator per call draws the same mask every time, so finite differences see a fixed function.
  test.prop([shapeArb(), seedArb, probabilityArb], { numRuns: 60 })(
    'gradient equals central finite differences for a fixed mask (float64)',
    (shape, seed, p) => {
      gradcheck((x) => dropout(x, { p, generator: new Generator(seed) }), [randomTensor(shape, seed)]);
    },
  );

  test.prop([shapeArb(1), seedArb, probabilityArb], { numRuns: 60 })(
    'each element is either zeroed or scaled by 1 / (1 - p), and one seed gives one mask',
    (shape, seed, p) => {
      const x = randomTensor(shape, seed, { requiresGrad: false });
      const y = dropout(x, { p, generator: new Generator(seed) }).data;
      const again = dropout(x, { p, generator: new Generator(seed) }).data;
      expect(Array.from(again)).toEqual(Array.from(y));
      for (let i = 0; i < y.length; i++) {
        if (y[i] !== 0) expect(y[i]).toBeCloseTo(x.data[i] / (1 - p), 12);
      }
    },
  );

  test('keeps about 1 - p of the elements and preserves the mean (inverted scaling)', () => {
    const y = dropout(ones([100000]), { p: 0.3, generator: new Generator(7) }).data;
    const kept = y.filter((v) => v !== 0).length / y.length;
    const mean = Array.from(y).reduce((a, b) => a + b, 0) / y.length;
    expect(Math.abs(kept - 0.7)).toBeLessThan(0.01);
    expect(Math.abs(mean - 1)).toBeLessThan(0.015);
  });

  test('eval mode and p = 0 return the input itself; p = 1 zeroes everything', () => {
    const x = tensor([1, 2, 3]);
    expect(dropout(x, { training: false })).toBe(x);
    expect(dropout(x, { p: 0 })).toBe(x);
    expect(Array.from(dropout(x, { p: 1 }).data)).toEqual([0, 0, 0]);
  });

  test('rejects p outside [0, 1], naming the op and the value', () => {
    expect(() => dropout(tensor([1]), { p: 1.5 })).toThrow('dropout: p must be a probability in [0, 1], got 1.5');
    expect(() => dropout(tensor([1]), { p: Number.NaN })).toThrow(
      'dropout: p must be a probability in [0, 1], got NaN',
    );
  });
});
