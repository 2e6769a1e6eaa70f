import type { Storage } from '../../../tensor/dtype.js';
import type { Conv2dGeometry } from '../../kernels.js';

/**
 * Reference CPU convolution kernels (NCHW, grouped, strided, zero-padded), written as direct loops.
 * All three passes walk the same (image, output channel, input channel, kernel tap) nest; for each
 * tap the output rows and columns whose input pixel lies inside the image are precomputed, so the
 * per-pass plane loop is a strided multiply-add without bounds checks.
 */

/** One kernel tap of one (image, output channel, input channel) triple, with its valid output window. */
interface Tap {
  /** Offset of input element (oh * strideH + kh - padH, ow * strideW + kw - padW) for oh = ow = 0. */
  inOrigin: number;
  /** Offset of the output plane. */
  outBase: number;
  /** Offset of the weight element. */
  weightIndex: number;
  ohFirst: number;
  ohEnd: number;
  owFirst: number;
  owEnd: number;
}

/** Output positions o for which input position o*stride - pad + kernelOffset lies inside [0, inSize). */
function validRange(
  kernelOffset: number,
  stride: number,
  pad: number,
  inSize: number,
  outSize: number,
): [number, number] {
  const first = Math.max(0, Math.ceil((pad - kernelOffset) / stride));
  const last = Math.min(outSize, Math.floor((inSize - 1 + pad - kernelOffset) / stride) + 1);
  return [first, Math.max(first, last)];
}

/** Calls `visit` for every tap of the convolution, in a fixed order (so sums are deterministic). */
function forEachTap(g: Conv2dGeometry, visit: (tap: Tap) => void): void {
  const inPerGroup = g.inChannels / g.groups;
  const outPerGroup = g.outChannels / g.groups;
  const inPlane = g.inHeight * g.inWidth;
  const outPlane = g.outHeight * g.outWidth;
  const taps = g.kernelHeight * g.kernelWidth;
  const tap: Tap = { inOrigin: 0, outBase: 0, weightIndex: 0, ohFirst: 0, ohEnd: 0, owFirst: 0, owEnd: 0 };
  for (let n = 0; n < g.batch; n++) {
    for (let oc = 0; oc < g.outChannels; oc++) {
      const group = Math.floor(oc / outPerGroup);
      tap.outBase = (n * g.outChannels + oc) * outPlane;
      for (let icInGroup = 0; icInGroup < inPerGroup; icInGroup++) {
        const inBase = (n * g.inChannels + group * inPerGroup + icInGroup) * inPlane;
        const weightBase = (oc * inPerGroup + icInGroup) * taps;
        for (let kh = 0; kh < g.kernelHeight; kh++) {
          [tap.ohFirst, tap.ohEnd] = validRange(kh, g.strideHeight, g.paddingHeight, g.inHeight, g.outHeight);
          for (let kw = 0; kw < g.kernelWidth; kw++) {
            [tap.owFirst, tap.owEnd] = validRange(kw, g.strideWidth, g.paddingWidth, g.inWidth, g.outWidth);
            tap.inOrigin = inBase + (kh - g.paddingHeight) * g.inWidth + kw - g.paddingWidth;
            tap.weightIndex = weightBase + kh * g.kernelWidth + kw;
            visit(tap);
          }
        }
      }
    }
  }
}

/** Convolution forward: out = input (*) weight. */
export function conv2dForwardReference(input: Storage, weight: Storage, out: Storage, g: Conv2dGeometry): void {
  out.fill(0, 0, g.batch * g.outChannels * g.outHeight * g.outWidth);
  const rowStep = g.strideHeight * g.inWidth;
  forEachTap(g, (t) => {
    const w = weight[t.weightIndex];
    for (let oh = t.ohFirst; oh < t.ohEnd; oh++) {
      const inRow = t.inOrigin + oh * rowStep;
      const outRow = t.outBase + oh * g.outWidth;
      for (let ow = t.owFirst; ow < t.owEnd; ow++) out[outRow + ow] += w * input[inRow + ow * g.strideWidth];
    }
  });
}

/** Gradient with respect to the input: the transposed convolution of gradOutput with weight. */
export function conv2dBackwardInputReference(
  gradOutput: Storage,
  weight: Storage,
  gradInput: Storage,
  g: Conv2dGeometry,
): void {
  gradInput.fill(0, 0, g.batch * g.inChannels * g.inHeight * g.inWidth);
  const rowStep = g.strideHeight * g.inWidth;
  forEachTap(g, (t) => {
    const w = weight[t.weightIndex];
    for (let oh = t.ohFirst; oh < t.ohEnd; oh++) {
      const inRow = t.inOrigin + oh * rowStep;
      const outRow = t.outBase + oh * g.outWidth;
      for (let ow = t.owFirst; ow < t.owEnd; ow++) gradInput[inRow + ow * g.strideWidth] += w * gradOutput[outRow + ow];
    }
  });
}

/** Gradient with respect to the weight: the correlation of input with gradOutput, summed over the batch. */
export function conv2dBackwardWeightReference(
  input: Storage,
  gradOutput: Storage,
  gradWeight: Storage,
  g: Conv2dGeometry,
): void {
  gradWeight.fill(0, 0, g.outChannels * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth);
  const rowStep = g.strideHeight * g.inWidth;
  forEachTap(g, (t) => {
    let sum = 0;
    for (let oh = t.ohFirst; oh < t.ohEnd; oh++) {
      const inRow = t.inOrigin + oh * rowStep;
      const outRow = t.outBase + oh * g.outWidth;
      for (let ow = t.owFirst; ow < t.owEnd; ow++) sum += input[inRow + ow * g.strideWidth] * gradOutput[outRow + ow];
    }
    gradWeight[t.weightIndex] += sum;
  });
}
