import type { Conv2dGeometry } from '../../src/backend/index.js';

/**
 * Layout conversions between arcgrad (NCHW activations, OIHW weights) and TensorFlow.js (NHWC
 * activations, HWIO weights; depthwise filters [kh, kw, channels, 1]). Done outside the timed
 * calls: the peers are timed on their own layout, and outputs are converted back only to compare.
 */

/** NCHW -> NHWC. */
export function nchwToNhwc(values: Float32Array, n: number, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) out[((b * h + y) * w + x) * c + ch] = values[((b * c + ch) * h + y) * w + x] ?? 0;
  return out;
}

/** NHWC -> NCHW. */
export function nhwcToNchw(values: ArrayLike<number>, n: number, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) out[((b * c + ch) * h + y) * w + x] = values[((b * h + y) * w + x) * c + ch] ?? 0;
  return out;
}

/** Whether a geometry is a depthwise convolution (one input and one output channel per group). */
export function isDepthwise(g: Conv2dGeometry): boolean {
  return g.groups > 1 && g.groups === g.inChannels && g.groups === g.outChannels;
}

/** OIHW weights -> HWIO (dense) or [kh, kw, C, 1] (depthwise): both are "move O/C last". */
export function weightToTfjs(values: Float32Array, g: Conv2dGeometry): Float32Array {
  const inPerGroup = g.inChannels / g.groups;
  const out = new Float32Array(values.length);
  const taps = g.kernelHeight * g.kernelWidth;
  for (let o = 0; o < g.outChannels; o++)
    for (let i = 0; i < inPerGroup; i++)
      for (let t = 0; t < taps; t++) {
        const source = (o * inPerGroup + i) * taps + t;
        out[isDepthwise(g) ? t * g.outChannels + o : (t * inPerGroup + i) * g.outChannels + o] = values[source] ?? 0;
      }
  return out;
}

/** TensorFlow.js weights back to OIHW (inverse of {@link weightToTfjs}). */
export function weightFromTfjs(values: ArrayLike<number>, g: Conv2dGeometry): Float32Array {
  const inPerGroup = g.inChannels / g.groups;
  const out = new Float32Array(values.length);
  const taps = g.kernelHeight * g.kernelWidth;
  for (let o = 0; o < g.outChannels; o++)
    for (let i = 0; i < inPerGroup; i++)
      for (let t = 0; t < taps; t++) {
        const target = (o * inPerGroup + i) * taps + t;
        out[target] = values[isDepthwise(g) ? t * g.outChannels + o : (t * inPerGroup + i) * g.outChannels + o] ?? 0;
      }
  return out;
}
