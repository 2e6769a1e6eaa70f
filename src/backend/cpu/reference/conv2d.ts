import type { Storage } from '../../../tensor/dtype.js';
import type { Conv2dGeometry } from '../../kernels.js';

/**
 * Reference CPU convolution kernels (NCHW, grouped, strided, zero-padded), written as direct loops.
 * Each walks one (input channel, output channel, kernel tap) triple over a whole output plane, so
 * the innermost loop is a strided multiply-add with no per-element bounds on the hot path except
 * the precomputed valid range of output columns.
 */

/** Output columns ow for which input column ow*stride - pad + kw lies inside [0, inWidth). */
function validRange(
  kernelOffset: number,
  stride: number,
  pad: number,
  inSize: number,
  outSize: number,
): [number, number] {
  // ow*stride + kernelOffset - pad >= 0  and  < inSize
  const first = Math.max(0, Math.ceil((pad - kernelOffset) / stride));
  const last = Math.min(outSize, Math.floor((inSize - 1 + pad - kernelOffset) / stride) + 1);
  return [first, Math.max(first, last)];
}

/** Convolution forward: out = input (*) weight. */
export function conv2dForwardReference(input: Storage, weight: Storage, out: Storage, g: Conv2dGeometry): void {
  const inPerGroup = g.inChannels / g.groups;
  const outPerGroup = g.outChannels / g.groups;
  const inPlane = g.inHeight * g.inWidth;
  const outPlane = g.outHeight * g.outWidth;
  const taps = g.kernelHeight * g.kernelWidth;
  out.fill(0, 0, g.batch * g.outChannels * outPlane);
  for (let n = 0; n < g.batch; n++) {
    for (let oc = 0; oc < g.outChannels; oc++) {
      const group = Math.floor(oc / outPerGroup);
      const outBase = (n * g.outChannels + oc) * outPlane;
      for (let icInGroup = 0; icInGroup < inPerGroup; icInGroup++) {
        const ic = group * inPerGroup + icInGroup;
        const inBase = (n * g.inChannels + ic) * inPlane;
        const weightBase = (oc * inPerGroup + icInGroup) * taps;
        for (let kh = 0; kh < g.kernelHeight; kh++) {
          const [ohFirst, ohEnd] = validRange(kh, g.strideHeight, g.paddingHeight, g.inHeight, g.outHeight);
          for (let kw = 0; kw < g.kernelWidth; kw++) {
            const w = weight[weightBase + kh * g.kernelWidth + kw];
            const [owFirst, owEnd] = validRange(kw, g.strideWidth, g.paddingWidth, g.inWidth, g.outWidth);
            for (let oh = ohFirst; oh < ohEnd; oh++) {
              const inRow = inBase + (oh * g.strideHeight + kh - g.paddingHeight) * g.inWidth - g.paddingWidth + kw;
              const outRow = outBase + oh * g.outWidth;
              for (let ow = owFirst; ow < owEnd; ow++) out[outRow + ow] += w * input[inRow + ow * g.strideWidth];
            }
          }
        }
      }
    }
  }
}

/** Gradient with respect to the input: the transposed convolution of gradOutput with weight. */
export function conv2dBackwardInputReference(
  gradOutput: Storage,
  weight: Storage,
  gradInput: Storage,
  g: Conv2dGeometry,
): void {
  const inPerGroup = g.inChannels / g.groups;
  const outPerGroup = g.outChannels / g.groups;
  const inPlane = g.inHeight * g.inWidth;
  const outPlane = g.outHeight * g.outWidth;
  const taps = g.kernelHeight * g.kernelWidth;
  gradInput.fill(0, 0, g.batch * g.inChannels * inPlane);
  for (let n = 0; n < g.batch; n++) {
    for (let oc = 0; oc < g.outChannels; oc++) {
      const group = Math.floor(oc / outPerGroup);
      const outBase = (n * g.outChannels + oc) * outPlane;
      for (let icInGroup = 0; icInGroup < inPerGroup; icInGroup++) {
        const ic = group * inPerGroup + icInGroup;
        const inBase = (n * g.inChannels + ic) * inPlane;
        const weightBase = (oc * inPerGroup + icInGroup) * taps;
        for (let kh = 0; kh < g.kernelHeight; kh++) {
          const [ohFirst, ohEnd] = validRange(kh, g.strideHeight, g.paddingHeight, g.inHeight, g.outHeight);
          for (let kw = 0; kw < g.kernelWidth; kw++) {
            const w = weight[weightBase + kh * g.kernelWidth + kw];
            const [owFirst, owEnd] = validRange(kw, g.strideWidth, g.paddingWidth, g.inWidth, g.outWidth);
            for (let oh = ohFirst; oh < ohEnd; oh++) {
              const inRow = inBase + (oh * g.strideHeight + kh - g.paddingHeight) * g.inWidth - g.paddingWidth + kw;
              const outRow = outBase + oh * g.outWidth;
              for (let ow = owFirst; ow < owEnd; ow++)
                gradInput[inRow + ow * g.strideWidth] += w * gradOutput[outRow + ow];
            }
          }
        }
      }
    }
  }
}

/** Gradient with respect to the weight: the correlation of input with gradOutput, summed over the batch. */
export function conv2dBackwardWeightReference(
  input: Storage,
  gradOutput: Storage,
  gradWeight: Storage,
  g: Conv2dGeometry,
): void {
  const inPerGroup = g.inChannels / g.groups;
  const outPerGroup = g.outChannels / g.groups;
  const inPlane = g.inHeight * g.inWidth;
  const outPlane = g.outHeight * g.outWidth;
  const taps = g.kernelHeight * g.kernelWidth;
  gradWeight.fill(0, 0, g.outChannels * inPerGroup * taps);
  for (let n = 0; n < g.batch; n++) {
    for (let oc = 0; oc < g.outChannels; oc++) {
      const group = Math.floor(oc / outPerGroup);
      const outBase = (n * g.outChannels + oc) * outPlane;
      for (let icInGroup = 0; icInGroup < inPerGroup; icInGroup++) {
        const ic = group * inPerGroup + icInGroup;
        const inBase = (n * g.inChannels + ic) * inPlane;
        const weightBase = (oc * inPerGroup + icInGroup) * taps;
        for (let kh = 0; kh < g.kernelHeight; kh++) {
          const [ohFirst, ohEnd] = validRange(kh, g.strideHeight, g.paddingHeight, g.inHeight, g.outHeight);
          for (let kw = 0; kw < g.kernelWidth; kw++) {
            const [owFirst, owEnd] = validRange(kw, g.strideWidth, g.paddingWidth, g.inWidth, g.outWidth);
            let sum = 0;
            for (let oh = ohFirst; oh < ohEnd; oh++) {
              const inRow = inBase + (oh * g.strideHeight + kh - g.paddingHeight) * g.inWidth - g.paddingWidth + kw;
              const outRow = outBase + oh * g.outWidth;
              for (let ow = owFirst; ow < owEnd; ow++)
                sum += input[inRow + ow * g.strideWidth] * gradOutput[outRow + ow];
            }
            gradWeight[weightBase + kh * g.kernelWidth + kw] += sum;
          }
        }
      }
    }
  }
}
