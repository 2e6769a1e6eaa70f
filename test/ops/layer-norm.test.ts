import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { layerNorm } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { randomTensor, seedArb, shapeArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

/** A shape of rank 1..3 and how many trailing dims to normalise over. */
const layerArb = shapeArb(1, 3, 4).chain((shape) =>
  fc.integer({ min: 1, max: shape.length }).map((k) => ({ shape, normalizedShape: shape.slice(shape.length - k) })),
);

describe('layerNorm gradients equal central finite differences (float64)', () => {
  test.prop([layerArb, seedArb, fc.boolean()], { numRuns: 60 })(
    'for input, weight and bias over any trailing dims',
    ({ shape, normalizedShape }, seed, affine) => {
      const x = randomTensor(shape, seed);
      if (!affine) {
        gradcheck((t) => layerNorm(t, normalizedShape), [x]);
        return;
      }
      const weight = randomTensor(normalizedShape, seed + 1);
      const bias = randomTensor(normalizedShape, seed + 2);
      gradcheck((t, w, b) => layerNorm(t, normalizedShape, { weight: w, bias: b }), [x, weight, bias]);
    },
  );
});

describe('layerNorm forward', () => {
  test.prop([layerArb, seedArb], { numRuns: 40 })(
    'without affine parameters each row has mean 0 and biased variance 1 / (1 + eps / var)',
    ({ shape, normalizedShape }, seed) => {
      const x = randomTensor(shape, seed, { requiresGrad: false });
      const n = normalizedShape.reduce((a, b) => a * b, 1);
      fc.pre(n > 1);
      const y = layerNorm(x, normalizedShape, { eps: 0 }).data;
      for (let start = 0; start < y.length; start += n) {
        const row = Array.from(y.subarray(start, start + n));
        const mean = row.reduce((a, b) => a + b, 0) / n;
        const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
        expect(mean).toBeCloseTo(0, 10);
        expect(variance).toBeCloseTo(1, 8);
      }
    },
  );

  test('errors name the op, the argument, and both shapes', () => {
    const x = tensor([[1, 2, 3]]);
    expect(() => layerNorm(x, [2])).toThrow(
      'layerNorm: normalizedShape [2] must be the trailing dims of the input, got input shape [1, 3]',
    );
    expect(() => layerNorm(x, [3], { weight: tensor([1, 2]) })).toThrow(
      'layerNorm: weight has shape [2] but normalizedShape is [3]',
    );
    expect(() => layerNorm(x, [3], { eps: Number.NaN })).toThrow('layerNorm: eps must be a finite number, got NaN');
  });
});
