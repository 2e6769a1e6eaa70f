import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { conv2d, matmul } from '../../src/ops/index.js';
import type { Tensor } from '../../src/tensor/index.js';
import { Tensor as TensorClass } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { conv2dConfigArb, inputShapeOf, weightShapeOf } from '../helpers/conv2d-configs.js';
import { im2col } from '../helpers/im2col.js';

/**
 * Metamorphic laws of conv2d in float64: each compares conv2d with an independent computation of
 * the same quantity (matmul, per-channel convs, im2col), so index mistakes in the kernels show up
 * without any stored value.
 */

/** Elementwise |a - b| <= 1e-10 * (1 + |b|): float64 sums of a few hundred terms in different orders. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= 1e-10 * (1 + Math.abs(expected[i])))) {
      throw new Error(`element ${i}: ${actual[i]} vs ${expected[i]}`);
    }
  }
}

/** The same data under another (contiguous) shape, as a new leaf. */
function viewAs(t: Tensor, shape: readonly number[], requiresGrad = false): Tensor {
  return new TensorClass(t.data, shape, requiresGrad);
}

/** A contiguous copy of channels [start, end) of an NCHW tensor. */
function channels(t: Tensor, start: number, end: number, requiresGrad = false): Tensor {
  const [batch, count, height, width] = t.shape;
  const plane = height * width;
  const out = new Float64Array(batch * (end - start) * plane);
  for (let n = 0; n < batch; n++) {
    out.set(t.data.subarray((n * count + start) * plane, (n * count + end) * plane), n * (end - start) * plane);
  }
  return new TensorClass(out, [batch, end - start, height, width], requiresGrad);
}

/** A contiguous copy of output channels [start, end) of a weight [O, C, kH, kW], as a new leaf. */
function outputChannels(weight: Tensor, start: number, end: number, requiresGrad = false): Tensor {
  const perChannel = weight.size / weight.shape[0];
  return new TensorClass(
    weight.data.slice(start * perChannel, end * perChannel),
    [end - start, ...weight.shape.slice(1)],
    requiresGrad,
  );
}

/** a * p + b * q elementwise, as a new leaf of p's shape. */
function combine(a: number, p: Tensor, b: number, q: Tensor): Tensor {
  return new TensorClass(
    p.data.map((v, i) => a * v + b * q.data[i]),
    p.shape,
  );
}

const small = fc.integer({ min: 1, max: 4 });
const coefficient = fc.double({ min: -3, max: 3, noNaN: true });

describe('conv2d laws', () => {
  test.prop([small, small, small, small, small, seedArb])(
    'conv2d 1x1 equals a matmul over channels, forward and gradients',
    (batch, inChannels, outChannels, height, width, seed) => {
      const x = randomTensor([batch, inChannels, height, width], seed);
      const weight = randomTensor([outChannels, inChannels, 1, 1], seed + 1);
      const upstream = randomTensor([batch, outChannels, height, width], seed + 2, { requiresGrad: false });
      const out = conv2d(x, weight);
      out.backward(upstream);

      const xColumns = viewAs(x, [batch, inChannels, height * width], true);
      const weightMatrix = viewAs(weight, [outChannels, inChannels], true);
      const product = matmul(weightMatrix, xColumns);
      product.backward(viewAs(upstream, product.shape));

      expectClose(out.data, product.data);
      expectClose(x.grad?.data ?? [], xColumns.grad?.data ?? []);
      expectClose(weight.grad?.data ?? [], weightMatrix.grad?.data ?? []);
    },
  );

  test.prop([conv2dConfigArb.filter((c) => c.inPerGroup === 1), seedArb])(
    'depthwise conv2d equals one conv2d per channel, forward and gradients',
    (c, seed) => {
      const x = randomTensor(inputShapeOf(c), seed);
      const weight = randomTensor(weightShapeOf(c), seed + 1);
      const options = { stride: c.stride, padding: c.padding };
      const out = conv2d(x, weight, { ...options, groups: c.inChannels });
      const upstream = randomTensor(out.shape, seed + 2, { requiresGrad: false });
      out.backward(upstream);

      const multiplier = c.outPerGroup;
      for (let channel = 0; channel < c.inChannels; channel++) {
        const xc = channels(x, channel, channel + 1, true);
        const wc = outputChannels(weight, channel * multiplier, (channel + 1) * multiplier, true);
        const outc = conv2d(xc, wc, options);
        outc.backward(channels(upstream, channel * multiplier, (channel + 1) * multiplier));
        expectClose(channels(out, channel * multiplier, (channel + 1) * multiplier).data, outc.data);
        expectClose(channels(x.grad as Tensor, channel, channel + 1).data, xc.grad?.data ?? []);
        expectClose(
          outputChannels(weight.grad as Tensor, channel * multiplier, (channel + 1) * multiplier).data,
          wc.grad?.data ?? [],
        );
      }
    },
  );

  test.prop([conv2dConfigArb, seedArb])(
    'conv2d equals im2col times matmul per group, forward and weight gradient',
    (c, seed) => {
      const x = randomTensor(inputShapeOf(c), seed, { requiresGrad: false });
      const weight = randomTensor(weightShapeOf(c), seed + 1);
      const options = { stride: c.stride, padding: c.padding, groups: c.groups };
      const out = conv2d(x, weight, options);
      const upstream = randomTensor(out.shape, seed + 2, { requiresGrad: false });
      out.backward(upstream);

      const columns = im2col(x, { ...options, kernelHeight: c.kernelHeight, kernelWidth: c.kernelWidth });
      const rows = c.inPerGroup * c.kernelHeight * c.kernelWidth;
      // Weight [O, C/g, kH, kW] is, in memory, [g, O/g, (C/g) kH kW]; the product [N, g, O/g, L] is [N, O, outH, outW].
      const weightMatrices = viewAs(weight, [c.groups, c.outPerGroup, rows], true);
      const product = matmul(weightMatrices, columns);
      product.backward(viewAs(upstream, product.shape));

      expectClose(out.data, product.data);
      expectClose(weight.grad?.data ?? [], weightMatrices.grad?.data ?? []);
    },
  );

  test.prop([conv2dConfigArb, seedArb, coefficient, coefficient])(
    'conv2d is linear in its input: conv(a x1 + b x2, w) = a conv(x1, w) + b conv(x2, w)',
    (c, seed, a, b) => {
      const options = { stride: c.stride, padding: c.padding, groups: c.groups };
      const x1 = randomTensor(inputShapeOf(c), seed, { requiresGrad: false });
      const x2 = randomTensor(inputShapeOf(c), seed + 1, { requiresGrad: false });
      const weight = randomTensor(weightShapeOf(c), seed + 2, { requiresGrad: false });
      const left = conv2d(combine(a, x1, b, x2), weight, options);
      const right = combine(a, conv2d(x1, weight, options), b, conv2d(x2, weight, options));
      expectClose(left.data, right.data);
    },
  );

  test.prop([conv2dConfigArb, seedArb, coefficient, coefficient])(
    'conv2d is linear in its weight: conv(x, a w1 + b w2) = a conv(x, w1) + b conv(x, w2)',
    (c, seed, a, b) => {
      const options = { stride: c.stride, padding: c.padding, groups: c.groups };
      const x = randomTensor(inputShapeOf(c), seed, { requiresGrad: false });
      const w1 = randomTensor(weightShapeOf(c), seed + 1, { requiresGrad: false });
      const w2 = randomTensor(weightShapeOf(c), seed + 2, { requiresGrad: false });
      const left = conv2d(x, combine(a, w1, b, w2), options);
      const right = combine(a, conv2d(x, w1, options), b, conv2d(x, w2, options));
      expectClose(left.data, right.data);
    },
  );
});
