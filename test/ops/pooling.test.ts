import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { avgPool2d, maxPool2d, type Pool2dOptions } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { distinctValues } from '../ops/kink-free.js';

/** A pooling configuration and an input shape it fits: kernel 1..3, stride 1..3, padding up to half the kernel. */
const poolArb = fc
  .record({
    kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    batch: fc.integer({ min: 1, max: 2 }),
    channels: fc.integer({ min: 1, max: 2 }),
    extra: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
    padFraction: fc.tuple(fc.boolean(), fc.boolean()),
  })
  .map(({ kernel, stride, batch, channels, extra, padFraction }) => {
    const padding: [number, number] = [0, 1].map((a) => (padFraction[a] ? Math.floor(kernel[a] / 2) : 0)) as [
      number,
      number,
    ];
    const shape = [batch, channels, kernel[0] + extra[0], kernel[1] + extra[1]];
    const options: Pool2dOptions = { kernelSize: kernel, stride, padding };
    return { shape, options };
  });

describe('2-D pooling gradients equal central finite differences (float64)', () => {
  // Distinct values keep each window's maximum unique under a 1e-6 perturbation.
  test.prop([poolArb, seedArb], { numRuns: 60 })('maxPool2d on inputs without ties', ({ shape, options }, seed) => {
    gradcheck((x) => maxPool2d(x, options), [distinctValues(shape, seed)]);
  });

  test.prop([poolArb, seedArb, fc.boolean()], { numRuns: 60 })(
    'avgPool2d with and without counting padding',
    ({ shape, options }, seed, countIncludePad) => {
      gradcheck((x) => avgPool2d(x, { ...options, countIncludePad }), [randomTensor(shape, seed)]);
    },
  );
});

describe('2-D pooling forward', () => {
  test.prop([poolArb, seedArb], { numRuns: 40 })(
    'a 1x1 window with stride 1 is the identity for both poolings',
    ({ shape }, seed) => {
      const x = randomTensor(shape, seed, { requiresGrad: false });
      expect(Array.from(maxPool2d(x, { kernelSize: 1, stride: 1 }).data)).toEqual(Array.from(x.data));
      expect(Array.from(avgPool2d(x, { kernelSize: 1, stride: 1 }).data)).toEqual(Array.from(x.data));
    },
  );

  test('2x2 windows of a 4x4 map: max, mean, and the gradient on the first maximum of a tie', () => {
    const x = tensor(
      [
        [
          [
            [1, 2, 5, 5],
            [3, 4, 5, 5],
            [0, -1, 7, 8],
            [-2, -3, 6, 9],
          ],
        ],
      ],
      { requiresGrad: true },
    );
    const y = maxPool2d(x, { kernelSize: 2 });
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(Array.from(y.data)).toEqual([4, 5, 0, 9]);
    y.sum().backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(avgPool2d(x, { kernelSize: 2 }).data)).toEqual([2.5, 5, -1.5, 7.5]);
  });

  test('padding counts as -Infinity for max and as zeros for the mean (divisor per countIncludePad)', () => {
    const x = tensor([
      [
        [
          [-1, -2],
          [-3, -4],
        ],
      ],
    ]);
    expect(Array.from(maxPool2d(x, { kernelSize: 2, stride: 1, padding: 1 }).data)).toEqual([
      -1, -1, -2, -1, -1, -2, -3, -3, -4,
    ]);
    expect(avgPool2d(x, { kernelSize: 2, stride: 1, padding: 1 }).data[0]).toBe(-0.25);
    expect(avgPool2d(x, { kernelSize: 2, stride: 1, padding: 1, countIncludePad: false }).data[0]).toBe(-1);
  });

  test('errors name the op, the argument, and expected vs actual', () => {
    const x = tensor([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    expect(() => maxPool2d(tensor([1, 2]), { kernelSize: 2 })).toThrow(
      'maxPool2d: input must be a 4-D tensor [batch, channels, height, width], got shape [2]',
    );
    expect(() => avgPool2d(x, { kernelSize: 0 })).toThrow(
      'avgPool2d: kernelSize must be a positive integer or a pair [height, width] of them, got 0',
    );
    expect(() => maxPool2d(x, { kernelSize: 2, padding: 2 })).toThrow(
      'maxPool2d: padding 2x2 must be at most half the kernel 2x2',
    );
    expect(() => maxPool2d(x, { kernelSize: 3 })).toThrow('maxPool2d: kernel 3x3 is larger than the padded input 2x2');
  });
});
