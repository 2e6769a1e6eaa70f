import type { GradSaveFunc, Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import type { Tfjs } from './tfjs-load.js';

/**
 * Convolution gradients written with TensorFlow.js forward ops, for its WASM backend, which has
 * no WASM kernels for Conv2DBackpropFilter and the two depthwise gradients (stock tfjs throws
 * "Kernel ... not registered for backend 'wasm'" when a training step needs them). Everything
 * below runs on WASM kernels: strided slices, matMul, multiply-and-sum, pad, reverse and the
 * forward depthwise convolution. Layout NHWC; square kernels, equal strides and padding.
 */

/** One convolution's hyperparameters. */
export interface ConvSpec {
  kernel: number;
  stride: number;
  padding: number;
}

/** x padded and sliced at tap (i, j) with the stride: [N, outH, outW, C], the inputs that tap sees. */
function tapSlice(
  tf: Tfjs,
  padded: Tensor4D,
  i: number,
  j: number,
  outH: number,
  outW: number,
  stride: number,
): Tensor4D {
  const [n, , , c] = padded.shape;
  return tf.stridedSlice(
    padded,
    [0, i, j, 0],
    [n, i + stride * (outH - 1) + 1, j + stride * (outW - 1) + 1, c],
    [1, stride, stride, 1],
  ) as Tensor4D;
}

function padSpatial(tf: Tfjs, x: Tensor4D, padding: number): Tensor4D {
  return padding === 0
    ? x
    : tf.pad(x, [
        [0, 0],
        [padding, padding],
        [padding, padding],
        [0, 0],
      ]);
}

/** Dense conv weight gradient: per tap, (x at that tap)^T @ dy -> [kh, kw, inC, outC]. */
export function denseGradWeight(tf: Tfjs, x: Tensor4D, dy: Tensor4D, spec: ConvSpec): Tensor4D {
  return tf.tidy(() => {
    const [, outH, outW, outC] = dy.shape;
    const inC = x.shape[3];
    const rows = x.shape[0] * outH * outW;
    const dyMatrix = tf.reshape(dy, [rows, outC]);
    const padded = padSpatial(tf, x, spec.padding);
    const taps: Tensor[] = [];
    for (let i = 0; i < spec.kernel; i++) {
      for (let j = 0; j < spec.kernel; j++) {
        const xTap = tf.reshape(tapSlice(tf, padded, i, j, outH, outW, spec.stride), [rows, inC]);
        taps.push(tf.matMul(xTap, dyMatrix, true, false));
      }
    }
    return tf.reshape(tf.stack(taps), [spec.kernel, spec.kernel, inC, outC]) as Tensor4D;
  });
}

/** Depthwise weight gradient: per tap, sum over batch and positions of (x at that tap) * dy -> [kh, kw, C, 1]. */
export function depthwiseGradWeight(tf: Tfjs, x: Tensor4D, dy: Tensor4D, spec: ConvSpec): Tensor4D {
  return tf.tidy(() => {
    const [, outH, outW, channels] = dy.shape;
    const padded = padSpatial(tf, x, spec.padding);
    const taps: Tensor[] = [];
    for (let i = 0; i < spec.kernel; i++) {
      for (let j = 0; j < spec.kernel; j++) {
        taps.push(tf.sum(tf.mul(tapSlice(tf, padded, i, j, outH, outW, spec.stride), dy), [0, 1, 2]));
      }
    }
    return tf.reshape(tf.stack(taps), [spec.kernel, spec.kernel, channels, 1]) as Tensor4D;
  });
}

/**
 * Depthwise input gradient as a forward depthwise convolution: dy upsampled with zeros by the
 * stride, padded by kernel - 1 - padding, convolved with the spatially flipped filter.
 */
export function depthwiseGradInput(
  tf: Tfjs,
  dy: Tensor4D,
  filter: Tensor4D,
  inputShape: readonly [number, number, number, number],
  spec: ConvSpec,
): Tensor4D {
  return tf.tidy(() => {
    const [n, outH, outW, channels] = dy.shape;
    const [, inH, inW] = inputShape;
    let spread: Tensor4D = dy;
    if (spec.stride > 1) {
      const s = spec.stride;
      const grid = tf.pad(tf.reshape(dy, [n, outH, 1, outW, 1, channels]), [
        [0, 0],
        [0, 0],
        [0, s - 1],
        [0, 0],
        [0, s - 1],
        [0, 0],
      ]);
      spread = tf.slice(
        tf.reshape(grid, [n, outH * s, outW * s, channels]),
        [0, 0, 0, 0],
        [n, (outH - 1) * s + 1, (outW - 1) * s + 1, channels],
      ) as Tensor4D;
    }
    const before = spec.kernel - 1 - spec.padding;
    const afterH = inH + spec.kernel - 1 - before - spread.shape[1];
    const afterW = inW + spec.kernel - 1 - before - spread.shape[2];
    let framed = tf.pad(spread, [
      [0, 0],
      [before, Math.max(afterH, 0)],
      [before, Math.max(afterW, 0)],
      [0, 0],
    ]) as Tensor4D;
    if (afterH < 0 || afterW < 0) {
      framed = tf.slice(framed, [0, 0, 0, 0], [n, inH + spec.kernel - 1, inW + spec.kernel - 1, channels]) as Tensor4D;
    }
    return tf.depthwiseConv2d(framed, tf.reverse(filter, [0, 1]) as Tensor4D, 1, 'valid');
  });
}

/**
 * A convolution whose gradients use only forward ops (tf.customGrad): dense input gradients use
 * conv2dTranspose (Conv2DBackpropInput has a WASM kernel), the rest use the functions above.
 * `inputGradient: false` returns a zero input gradient, for the network's first layer whose input
 * (the images) needs none.
 */
export function convWithForwardOpGradients(
  tf: Tfjs,
  spec: ConvSpec & { depthwise: boolean; inputGradient: boolean },
): (x: Tensor4D, filter: Tensor4D) => Tensor4D {
  // customGrad passes the inputs and then the save function as rest arguments.
  const conv = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [input, weights, save] = args as [Tensor4D, Tensor4D, GradSaveFunc];
    save([input, weights]);
    const value = spec.depthwise
      ? tf.depthwiseConv2d(input, weights, spec.stride, spec.padding)
      : tf.conv2d(input, weights, spec.stride, spec.padding);
    const gradFunc = (dy: Tensor, saved: Tensor[]) => {
      const [xs, ws] = saved as [Tensor4D, Tensor4D];
      const gradient = dy as Tensor4D;
      const shape = xs.shape as [number, number, number, number];
      let dx: Tensor4D;
      if (!spec.inputGradient) dx = tf.zerosLike(xs);
      else if (spec.depthwise) dx = depthwiseGradInput(tf, gradient, ws, shape, spec);
      else dx = tf.conv2dTranspose(gradient, ws, shape, spec.stride, spec.padding);
      const dw = spec.depthwise ? depthwiseGradWeight(tf, xs, gradient, spec) : denseGradWeight(tf, xs, gradient, spec);
      return [dx, dw];
    };
    return { value, gradFunc };
  });
  return (x, filter) => conv(x, filter) as Tensor4D;
}
