import { allocate } from '../../src/tensor/dtype.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** Geometry arguments of the im2col reference, spelled out so it shares no code with conv2d. */
export interface Im2colOptions {
  kernelHeight: number;
  kernelWidth: number;
  stride: [number, number];
  padding: [number, number];
  groups: number;
}

/**
 * Reference im2col for testing conv2d: unfolds x [N, C, H, W] into columns
 * [N, groups, (C / groups) * kH * kW, outH * outW], reading zero outside the input (zero padding).
 * Row r = (c, kh, kw) within a group, column l = (oh, ow); conv2d then equals, per group,
 * weight [O / groups, (C / groups) * kH * kW] @ columns. Deliberately naive: one bounds check per element.
 */
export function im2col(x: Tensor, options: Im2colOptions): Tensor {
  const [batch, channels, height, width] = x.shape;
  const { kernelHeight, kernelWidth, groups } = options;
  const [strideHeight, strideWidth] = options.stride;
  const [paddingHeight, paddingWidth] = options.padding;
  const outHeight = Math.floor((height + 2 * paddingHeight - kernelHeight) / strideHeight) + 1;
  const outWidth = Math.floor((width + 2 * paddingWidth - kernelWidth) / strideWidth) + 1;
  const perGroup = channels / groups;
  const rows = perGroup * kernelHeight * kernelWidth;
  const columns = outHeight * outWidth;
  const out = allocate(x.dtype, batch * groups * rows * columns);
  let index = 0;
  for (let n = 0; n < batch; n++) {
    for (let group = 0; group < groups; group++) {
      for (let c = 0; c < perGroup; c++) {
        for (let kh = 0; kh < kernelHeight; kh++) {
          for (let kw = 0; kw < kernelWidth; kw++) {
            for (let oh = 0; oh < outHeight; oh++) {
              for (let ow = 0; ow < outWidth; ow++) {
                const ih = oh * strideHeight - paddingHeight + kh;
                const iw = ow * strideWidth - paddingWidth + kw;
                const inside = ih >= 0 && ih < height && iw >= 0 && iw < width;
                const channel = group * perGroup + c;
                out[index++] = inside ? x.data[((n * channels + channel) * height + ih) * width + iw] : 0;
              }
            }
          }
        }
      }
    }
  }
  return new Tensor(out, [batch, groups, rows, columns]);
}
