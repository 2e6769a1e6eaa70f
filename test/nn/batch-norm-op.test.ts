import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { batchNorm } from '../../src/ops/index.js';
import { ones, tensor, zeros } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

// [N, C] (BatchNorm1d) and [N, C, H, W] (BatchNorm2d) shapes with more than one value per channel.
const shapeArb = fc.oneof(
  fc.tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 3 })),
  fc.tuple(
    fc.integer({ min: 1, max: 3 }),
    fc.integer({ min: 1, max: 3 }),
    fc.integer({ min: 1, max: 3 }),
    fc.integer({ min: 2, max: 3 }),
  ),
);

describe('batchNorm op', () => {
  test.prop([shapeArb, seedArb], { numRuns: 40 })(
    'training: gradients for input, weight and bias equal finite differences (float64)',
    (shape, seed) => {
      const channels = shape[1];
      const x = randomTensor(shape, seed);
      const weight = randomTensor([channels], seed + 1);
      const bias = randomTensor([channels], seed + 2);
      gradcheck((xi, w, b) => batchNorm(xi, { weight: w, bias: b, training: true }), [x, weight, bias]);
    },
  );

  test.prop([shapeArb, seedArb], { numRuns: 40 })(
    'eval: gradients equal finite differences with running statistics fixed (float64)',
    (shape, seed) => {
      const channels = shape[1];
      const runningMean = randomTensor([channels], seed + 3, { requiresGrad: false });
      const runningVar = randomTensor([channels], seed + 4, { requiresGrad: false, low: 0.5, high: 2 });
      gradcheck(
        (xi, w, b) => batchNorm(xi, { weight: w, bias: b, runningMean, runningVar, training: false }),
        [randomTensor(shape, seed), randomTensor([channels], seed + 1), randomTensor([channels], seed + 2)],
      );
    },
  );

  test.prop([shapeArb, seedArb], { numRuns: 30 })(
    'training output has zero mean and unit biased variance per channel (weight 1, bias 0)',
    (shape, seed) => {
      const x = randomTensor(shape, seed, { requiresGrad: false });
      const out = batchNorm(x, { training: true, eps: 0 });
      const [batch, channels] = shape;
      const inner = x.size / (batch * channels);
      for (let c = 0; c < channels; c++) {
        const values: number[] = [];
        for (let n = 0; n < batch; n++) {
          for (let i = 0; i < inner; i++) values.push(out.data[(n * channels + c) * inner + i]);
        }
        const mean = values.reduce((s, v) => s + v, 0) / values.length;
        const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
        expect(Math.abs(mean)).toBeLessThan(1e-9);
        // A constant channel has variance 0 and normalises to 0.
        if (variance > 0) expect(variance).toBeCloseTo(1, 9);
      }
    },
  );

  test('running statistics move by momentum toward the batch mean and the unbiased variance', () => {
    // Channel 0 holds 1, 2, 3, 4 over the batch and spatial dims: mean 2.5, unbiased variance 5/3.
    const input = tensor([1, 2, 3, 4], { shape: [2, 1, 2], dtype: 'float64' });
    const runningMean = zeros([1], { dtype: 'float64' });
    const runningVar = ones([1], { dtype: 'float64' });
    batchNorm(input, { runningMean, runningVar, training: true, momentum: 0.1 });
    expect(runningMean.data[0]).toBeCloseTo(0.25, 12);
    expect(runningVar.data[0]).toBeCloseTo(0.9 + (0.1 * 5) / 3, 12);
  });

  test('eval mode normalises with the running statistics and leaves them unchanged', () => {
    const input = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64' },
    );
    const runningMean = tensor([1, 2], { dtype: 'float64' });
    const runningVar = tensor([4, 1], { dtype: 'float64' });
    const out = batchNorm(input, { runningMean, runningVar, eps: 0 });
    expect(out.toArray()).toEqual([
      [0, 0],
      [1, 2],
    ]);
    expect(runningMean.toArray()).toEqual([1, 2]);
  });

  test('bad input names the argument and the shapes', () => {
    expect(() => batchNorm(tensor([1, 2, 3]), { training: true })).toThrow(
      'batchNorm: input must have shape [N, C, ...], got [3]',
    );
    expect(() => batchNorm(zeros([2, 3]), { training: true, weight: ones([4]) })).toThrow(
      'batchNorm: weight has shape [4] but the input has 3 channels',
    );
    expect(() => batchNorm(zeros([1, 3]), { training: true })).toThrow('more than 1 value per channel');
    expect(() => batchNorm(zeros([2, 3]))).toThrow('eval mode needs runningMean and runningVar');
  });
});
