import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { conv2d, conv2dGeometry } from '../../src/ops/index.js';
import { tensor, zeros } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { conv2dConfigArb, inputShapeOf, weightShapeOf } from '../helpers/conv2d-configs.js';
import { gradcheck } from '../helpers/gradcheck.js';

describe('conv2d', () => {
  test.prop([conv2dConfigArb, seedArb], { numRuns: 150 })(
    'input, weight and bias gradients equal finite differences (float64)',
    (c, seed) => {
      const x = randomTensor(inputShapeOf(c), seed);
      const weight = randomTensor(weightShapeOf(c), seed + 1);
      const { stride, padding } = c;
      if (c.withBias) {
        gradcheck(
          (xi, wi, bi) => conv2d(xi, wi, { bias: bi, stride, padding, groups: c.groups }),
          [x, weight, randomTensor([c.outChannels], seed + 2)],
        );
      } else {
        gradcheck((xi, wi) => conv2d(xi, wi, { stride, padding, groups: c.groups }), [x, weight]);
      }
    },
  );

  test.prop([conv2dConfigArb, seedArb], { numRuns: 60 })(
    'output shape is floor((in + 2 * padding - kernel) / stride) + 1, and float32 agrees with float64',
    (c, seed) => {
      const x = randomTensor(inputShapeOf(c), seed, { requiresGrad: false });
      const weight = randomTensor(weightShapeOf(c), seed + 1, { requiresGrad: false });
      const options = { stride: c.stride, padding: c.padding, groups: c.groups };
      const out64 = conv2d(x, weight, options);
      const out32 = conv2d(x.clone('float32'), weight.clone('float32'), options);
      expect(out64.shape).toEqual([
        c.batch,
        c.outChannels,
        Math.floor((c.height + 2 * c.padding[0] - c.kernelHeight) / c.stride[0]) + 1,
        Math.floor((c.width + 2 * c.padding[1] - c.kernelWidth) / c.stride[1]) + 1,
      ]);
      expect(out32.dtype).toBe('float32');
      out64.data.forEach((v, i) => {
        expect(Math.abs(out32.data[i] - v)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(v)));
      });
    },
  );

  test('a 3x3 box filter over a 3x3 ramp, by hand', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 1, 3, 3] });
    const box = tensor(new Array(9).fill(1), { shape: [1, 1, 3, 3] });
    expect(conv2d(x, box).toArray()).toEqual([[[[45]]]]);
    expect(conv2d(x, box, { padding: 1, stride: 2 }).toArray()).toEqual([
      [
        [
          [12, 16],
          [24, 28],
        ],
      ],
    ]);
    expect(conv2d(x, box, { bias: tensor([0.5]) }).toArray()).toEqual([[[[45.5]]]]);
  });

  test('gradients flow only to inputs that require them', () => {
    const x = zeros([1, 2, 4, 4]);
    const weight = zeros([3, 2, 3, 3], { requiresGrad: true });
    const bias = zeros([3]);
    conv2d(x, weight, { bias }).backward(zeros([1, 3, 2, 2]).add(1));
    expect(x.grad).toBeNull();
    expect(bias.grad).toBeNull();
    expect(weight.grad?.shape).toEqual([3, 2, 3, 3]);
  });

  test('mixed dtypes compute in float64', () => {
    const out = conv2d(zeros([1, 1, 3, 3], { dtype: 'float64' }), zeros([1, 1, 2, 2]));
    expect(out.dtype).toBe('float64');
  });

  test('geometry of a typical stem: 112x112, 3x3, stride 2, padding 1 gives 56x56', () => {
    const g = conv2dGeometry([8, 3, 112, 112], [64, 3, 3, 3], { stride: 2, padding: 1 });
    expect([g.outHeight, g.outWidth]).toEqual([56, 56]);
    expect(conv2dGeometry([1, 3, 5, 8], [2, 3, 3, 2], { stride: [2, 1], padding: [1, 0] })).toMatchObject({
      outHeight: 3,
      outWidth: 7,
      strideHeight: 2,
      strideWidth: 1,
      paddingHeight: 1,
      paddingWidth: 0,
    });
  });
});

describe('conv2d rejects bad input with the op, the argument and expected vs actual', () => {
  const x = zeros([1, 3, 5, 5]);
  const weight = zeros([4, 3, 3, 3]);
  const cases: [string, () => unknown, string][] = [
    [
      'input not 4-D',
      () => conv2d(zeros([3, 5, 5]), weight),
      'conv2d: input must be 4-D [batch, channels, height, width], got shape [3, 5, 5]',
    ],
    [
      'weight not 4-D',
      () => conv2d(x, zeros([4, 3, 3])),
      'conv2d: weight must be 4-D [outChannels, inChannels / groups, kernelHeight, kernelWidth], got shape [4, 3, 3]',
    ],
    [
      'channel mismatch',
      () => conv2d(x, zeros([1, 1, 3, 3])),
      'conv2d: input has 3 channels but weight expects 1 (groups=1)',
    ],
    [
      'channel mismatch with groups',
      () => conv2d(zeros([1, 4, 5, 5]), zeros([4, 1, 3, 3]), { groups: 2 }),
      'conv2d: input has 4 channels but weight expects 2 (groups=2)',
    ],
    [
      'groups not dividing input channels',
      () => conv2d(x, zeros([4, 1, 3, 3]), { groups: 2 }),
      "conv2d: groups=2 must divide the input's 3 channels",
    ],
    [
      'groups not dividing output channels',
      () => conv2d(zeros([1, 4, 5, 5]), zeros([3, 2, 3, 3]), { groups: 2 }),
      "conv2d: groups=2 must divide the weight's 3 output channels (weight [3, 2, 3, 3])",
    ],
    ['groups zero', () => conv2d(x, weight, { groups: 0 }), 'conv2d: groups must be a positive integer, got 0'],
    [
      'groups fractional',
      () => conv2d(x, weight, { groups: 1.5 }),
      'conv2d: groups must be a positive integer, got 1.5',
    ],
    [
      'kernel larger than padded input',
      () => conv2d(zeros([1, 3, 2, 5]), weight),
      'conv2d: kernel 3x3 is larger than the padded input 2x5 (input 2x5, padding 0x0)',
    ],
    [
      'stride 0',
      () => conv2d(x, weight, { stride: 0 }),
      'conv2d: stride must be a positive integer or a pair [height, width] of them, got 0',
    ],
    [
      'stride pair with a zero',
      () => conv2d(x, weight, { stride: [1, 0] }),
      'conv2d: stride must be a positive integer or a pair [height, width] of them, got [1, 0]',
    ],
    [
      'fractional stride',
      () => conv2d(x, weight, { stride: 1.5 }),
      'conv2d: stride must be a positive integer or a pair [height, width] of them, got 1.5',
    ],
    [
      'negative padding',
      () => conv2d(x, weight, { padding: -1 }),
      'conv2d: padding must be a non-negative integer or a pair [height, width] of them, got -1',
    ],
    [
      'NaN padding',
      () => conv2d(x, weight, { padding: Number.NaN }),
      'conv2d: padding must be a non-negative integer or a pair [height, width] of them, got NaN',
    ],
    [
      'padding triple',
      () => conv2d(x, weight, { padding: [1, 1, 1] as unknown as [number, number] }),
      'conv2d: padding must be a non-negative integer or a pair [height, width] of them, got [1, 1, 1]',
    ],
    [
      'bias of the wrong length',
      () => conv2d(x, weight, { bias: zeros([3]) }),
      'conv2d: bias must have shape [4] (one value per output channel), got [3]',
    ],
    [
      'bias of the wrong rank',
      () => conv2d(x, weight, { bias: zeros([1, 4]) }),
      'conv2d: bias must have shape [4] (one value per output channel), got [1, 4]',
    ],
    [
      'empty input plane',
      () => conv2d(zeros([1, 3, 0, 5]), weight),
      'conv2d: input needs at least one channel, row and column, got shape [1, 3, 0, 5]',
    ],
    [
      'weight that is not a tensor',
      () => conv2d(x, [[1]] as unknown as typeof weight),
      'conv2d: weight must be a tensor',
    ],
  ];
  for (const [name, call, message] of cases) {
    test(name, () => {
      expect(call).toThrow(message);
    });
  }
});
