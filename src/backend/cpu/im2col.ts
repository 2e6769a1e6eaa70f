import type { Storage } from '../../tensor/dtype.js';

/**
 * im2col and its transpose for the generic convolution path (any groups, kernel, stride, padding):
 * lay each receptive field out as a column so the convolution becomes one GEMM per image and group.
 * Row (c*kernelHeight + kh)*kernelWidth + kw of the column matrix holds, for every output
 * position, input channel c shifted by tap (kh, kw), with zeros where the tap falls in the padding.
 *
 * These functions also run inside the worker threads by their source text: no imports inside.
 */

/** Fills `col` ([channels*kH*kW, outH*outW]) from `channels` input planes starting at inputOffset. */
export function im2col(
  input: Storage,
  inputOffset: number,
  channels: number,
  height: number,
  width: number,
  kernelHeight: number,
  kernelWidth: number,
  strideHeight: number,
  strideWidth: number,
  padHeight: number,
  padWidth: number,
  outHeight: number,
  outWidth: number,
  col: Storage,
): void {
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

/** The transpose of im2col: adds every column entry back onto its input position (caller zeroes gradInput). */
export function col2im(
  col: Storage,
  channels: number,
  height: number,
  width: number,
  kernelHeight: number,
  kernelWidth: number,
  strideHeight: number,
  strideWidth: number,
  padHeight: number,
  padWidth: number,
  outHeight: number,
  outWidth: number,
  gradInput: Storage,
  gradInputOffset: number,
): void {
  const outPlane = outHeight * outWidth;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = gradInputOffset + c * height * width;
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
            if (iw >= 0 && iw < width) gradInput[inRow + iw] += col[o + ow];
          }
        }
      }
    }
  }
}
