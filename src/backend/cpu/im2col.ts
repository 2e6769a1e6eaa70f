import type { Storage } from '../../tensor/dtype.js';
import type { Conv2dGeometry } from '../kernels.js';

/**
 * im2col and its transpose for the generic convolution path (any groups, kernel, stride, padding):
 * lay each receptive field out as a column so the convolution becomes one GEMM per image and group.
 * Row (c*kernelHeight + kh)*kernelWidth + kw of the column matrix holds, for every output
 * position, input channel c shifted by tap (kh, kw), with zeros where the tap falls in the padding.
 * Both work on one group's channels (inChannels / groups) of one image.
 */

/** Fills `col` ([channels*kH*kW, outH*outW]) from one group's input planes starting at inputOffset. */
export function im2col(geometry: Conv2dGeometry, input: Storage, inputOffset: number, col: Storage): void {
  const { inHeight: height, inWidth: width, kernelHeight, kernelWidth, strideHeight, strideWidth } = geometry;
  const { paddingHeight: padHeight, paddingWidth: padWidth, outHeight, outWidth } = geometry;
  const channels = geometry.inChannels / geometry.groups;
  const outPlane = outHeight * outWidth;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = inputOffset + c * height * width;
    for (let kh = 0; kh < kernelHeight; kh++) {
      for (let kw = 0; kw < kernelWidth; kw++, row++) {
        const base = row * outPlane;
        for (let oh = 0; oh < outHeight; oh++) {
          const ih = oh * strideHeight + kh - padHeight;
          const o = base + oh * outWidth;
          if (ih < 0 || ih >= height) {
            col.fill(0, o, o + outWidth);
            continue;
          }
          const inRow = plane + ih * width;
          for (let ow = 0; ow < outWidth; ow++) {
            const iw = ow * strideWidth + kw - padWidth;
            col[o + ow] = iw >= 0 && iw < width ? input[inRow + iw] : 0;
          }
        }
      }
    }
  }
}

/** The transpose of im2col: adds every column entry back onto its input position (caller zeroes inputGrad). */
export function col2im(geometry: Conv2dGeometry, col: Storage, inputGrad: Storage, inputGradOffset: number): void {
  const { inHeight: height, inWidth: width, kernelHeight, kernelWidth, strideHeight, strideWidth } = geometry;
  const { paddingHeight: padHeight, paddingWidth: padWidth, outHeight, outWidth } = geometry;
  const channels = geometry.inChannels / geometry.groups;
  const outPlane = outHeight * outWidth;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = inputGradOffset + c * height * width;
    for (let kh = 0; kh < kernelHeight; kh++) {
      for (let kw = 0; kw < kernelWidth; kw++, row++) {
        const base = row * outPlane;
        for (let oh = 0; oh < outHeight; oh++) {
          const ih = oh * strideHeight + kh - padHeight;
          if (ih < 0 || ih >= height) continue;
          const inRow = plane + ih * width;
          const o = base + oh * outWidth;
          for (let ow = 0; ow < outWidth; ow++) {
            const iw = ow * strideWidth + kw - padWidth;
            if (iw >= 0 && iw < width) inputGrad[inRow + iw] += col[o + ow];
          }
        }
      }
    }
  }
}
