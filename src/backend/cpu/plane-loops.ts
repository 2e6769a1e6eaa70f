import type { Storage } from '../../tensor/dtype.js';

/**
 * Direct single-plane convolution loops for convolutions whose groups see one input channel each:
 * depthwise convs (3x3 stride 1/2, 7x7) and the 1-channel stem conv. The input plane is first
 * copied into a zero-bordered scratch plane, so the hot loops need no bounds checks; 3x3 kernels
 * keep their nine weights in locals, and stride 1 slides a 3x3 window so each input is loaded once.
 */

/** Copies a height x width plane into the middle of a zero paddedHeight x paddedWidth plane. */
export function padPlane(
  source: Storage,
  sourceOffset: number,
  height: number,
  width: number,
  padTop: number,
  padLeft: number,
  padded: Storage,
  paddedHeight: number,
  paddedWidth: number,
): void {
  padded.fill(0, 0, paddedHeight * paddedWidth);
  for (let h = 0; h < height; h++) {
    const from = sourceOffset + h * width;
    const to = (h + padTop) * paddedWidth + padLeft;
    for (let w = 0; w < width; w++) padded[to + w] = source[from + w];
  }
}

/** Copies the height x width interior of a padded plane into `dest` (overwriting). */
export function unpadPlane(
  padded: Storage,
  paddedWidth: number,
  padTop: number,
  padLeft: number,
  height: number,
  width: number,
  dest: Storage,
  destOffset: number,
): void {
  for (let h = 0; h < height; h++) {
    const from = (h + padTop) * paddedWidth + padLeft;
    const to = destOffset + h * width;
    for (let w = 0; w < width; w++) dest[to + w] = padded[from + w];
  }
}

/** out[oh, ow] = sum over taps of weight[kh, kw] * padded[oh*stride + kh, ow*stride + kw] (overwrites out). */
export function planeCorrelate(
  padded: Storage,
  paddedWidth: number,
  weight: Storage,
  weightOffset: number,
  kernelHeight: number,
  kernelWidth: number,
  stride: number,
  out: Storage,
  outOffset: number,
  outHeight: number,
  outWidth: number,
): void {
  if (kernelHeight === 3 && kernelWidth === 3) {
    const w00 = weight[weightOffset];
    const w01 = weight[weightOffset + 1];
    const w02 = weight[weightOffset + 2];
    const w10 = weight[weightOffset + 3];
    const w11 = weight[weightOffset + 4];
    const w12 = weight[weightOffset + 5];
    const w20 = weight[weightOffset + 6];
    const w21 = weight[weightOffset + 7];
    const w22 = weight[weightOffset + 8];
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * stride * paddedWidth;
      const r1 = r0 + paddedWidth;
      const r2 = r1 + paddedWidth;
      const o = outOffset + oh * outWidth;
      if (stride === 1) {
        // Slide the window: each padded value is loaded once per row.
        let x00 = padded[r0];
        let x01 = padded[r0 + 1];
        let x10 = padded[r1];
        let x11 = padded[r1 + 1];
        let x20 = padded[r2];
        let x21 = padded[r2 + 1];
        for (let ow = 0; ow < outWidth; ow++) {
          const x02 = padded[r0 + ow + 2];
          const x12 = padded[r1 + ow + 2];
          const x22 = padded[r2 + ow + 2];
          out[o + ow] =
            w00 * x00 + w01 * x01 + w02 * x02 + w10 * x10 + w11 * x11 + w12 * x12 + w20 * x20 + w21 * x21 + w22 * x22;
          x00 = x01;
          x01 = x02;
          x10 = x11;
          x11 = x12;
          x20 = x21;
          x21 = x22;
        }
      } else if (stride === 2) {
        // Stride 2: the window's last column is the next window's first, so 6 loads per output.
        let x00 = padded[r0];
        let x10 = padded[r1];
        let x20 = padded[r2];
        for (let ow = 0, x = 1; ow < outWidth; ow++, x += 2) {
          const x01 = padded[r0 + x];
          const x02 = padded[r0 + x + 1];
          const x11 = padded[r1 + x];
          const x12 = padded[r1 + x + 1];
          const x21 = padded[r2 + x];
          const x22 = padded[r2 + x + 1];
          out[o + ow] =
            w00 * x00 + w01 * x01 + w02 * x02 + w10 * x10 + w11 * x11 + w12 * x12 + w20 * x20 + w21 * x21 + w22 * x22;
          x00 = x02;
          x10 = x12;
          x20 = x22;
        }
      } else {
        for (let ow = 0, x = 0; ow < outWidth; ow++, x += stride) {
          out[o + ow] =
            w00 * padded[r0 + x] +
            w01 * padded[r0 + x + 1] +
            w02 * padded[r0 + x + 2] +
            w10 * padded[r1 + x] +
            w11 * padded[r1 + x + 1] +
            w12 * padded[r1 + x + 2] +
            w20 * padded[r2 + x] +
            w21 * padded[r2 + x + 1] +
            w22 * padded[r2 + x + 2];
        }
      }
    }
    return;
  }
  for (let oh = 0; oh < outHeight; oh++) {
    const o = outOffset + oh * outWidth;
    for (let ow = 0; ow < outWidth; ow++) {
      let sum = 0;
      for (let kh = 0; kh < kernelHeight; kh++) {
        const row = (oh * stride + kh) * paddedWidth + ow * stride;
        const wRow = weightOffset + kh * kernelWidth;
        for (let kw = 0; kw < kernelWidth; kw++) sum += weight[wRow + kw] * padded[row + kw];
      }
      out[o + ow] = sum;
    }
  }
}

/**
 * The transpose of planeCorrelate: paddedGrad[oh*stride + kh, ow*stride + kw] += weight[kh, kw] * grad[oh, ow]
 * (adds into paddedGrad, so several output channels of a group can share one input gradient plane).
 */
export function planeScatter(
  grad: Storage,
  gradOffset: number,
  outHeight: number,
  outWidth: number,
  weight: Storage,
  weightOffset: number,
  kernelHeight: number,
  kernelWidth: number,
  stride: number,
  paddedGrad: Storage,
  paddedWidth: number,
): void {
  if (kernelHeight === 3 && kernelWidth === 3) {
    const w00 = weight[weightOffset];
    const w01 = weight[weightOffset + 1];
    const w02 = weight[weightOffset + 2];
    const w10 = weight[weightOffset + 3];
    const w11 = weight[weightOffset + 4];
    const w12 = weight[weightOffset + 5];
    const w20 = weight[weightOffset + 6];
    const w21 = weight[weightOffset + 7];
    const w22 = weight[weightOffset + 8];
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * stride * paddedWidth;
      const r1 = r0 + paddedWidth;
      const r2 = r1 + paddedWidth;
      const g = gradOffset + oh * outWidth;
      for (let ow = 0, x = 0; ow < outWidth; ow++, x += stride) {
        const v = grad[g + ow];
        paddedGrad[r0 + x] += w00 * v;
        paddedGrad[r0 + x + 1] += w01 * v;
        paddedGrad[r0 + x + 2] += w02 * v;
        paddedGrad[r1 + x] += w10 * v;
        paddedGrad[r1 + x + 1] += w11 * v;
        paddedGrad[r1 + x + 2] += w12 * v;
        paddedGrad[r2 + x] += w20 * v;
        paddedGrad[r2 + x + 1] += w21 * v;
        paddedGrad[r2 + x + 2] += w22 * v;
      }
    }
    return;
  }
  for (let oh = 0; oh < outHeight; oh++) {
    const g = gradOffset + oh * outWidth;
    for (let ow = 0; ow < outWidth; ow++) {
      const v = grad[g + ow];
      for (let kh = 0; kh < kernelHeight; kh++) {
        const row = (oh * stride + kh) * paddedWidth + ow * stride;
        const wRow = weightOffset + kh * kernelWidth;
        for (let kw = 0; kw < kernelWidth; kw++) paddedGrad[row + kw] += weight[wRow + kw] * v;
      }
    }
  }
}

/** sums[sumsOffset + kh*kernelWidth + kw] += sum over (oh, ow) of padded[oh*stride + kh, ow*stride + kw] * grad[oh, ow]. */
export function planeWeightSums(
  padded: Storage,
  paddedWidth: number,
  grad: Storage,
  gradOffset: number,
  outHeight: number,
  outWidth: number,
  kernelHeight: number,
  kernelWidth: number,
  stride: number,
  sums: Float64Array,
  sumsOffset: number,
): void {
  if (kernelHeight === 3 && kernelWidth === 3) {
    let s00 = 0;
    let s01 = 0;
    let s02 = 0;
    let s10 = 0;
    let s11 = 0;
    let s12 = 0;
    let s20 = 0;
    let s21 = 0;
    let s22 = 0;
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * stride * paddedWidth;
      const r1 = r0 + paddedWidth;
      const r2 = r1 + paddedWidth;
      const g = gradOffset + oh * outWidth;
      if (stride === 1) {
        // Slide the 3x3 window along the row: 3 new loads per output instead of 9.
        let x00 = padded[r0];
        let x01 = padded[r0 + 1];
        let x10 = padded[r1];
        let x11 = padded[r1 + 1];
        let x20 = padded[r2];
        let x21 = padded[r2 + 1];
        for (let ow = 0; ow < outWidth; ow++) {
          const v = grad[g + ow];
          const x02 = padded[r0 + ow + 2];
          const x12 = padded[r1 + ow + 2];
          const x22 = padded[r2 + ow + 2];
          s00 += x00 * v;
          s01 += x01 * v;
          s02 += x02 * v;
          s10 += x10 * v;
          s11 += x11 * v;
          s12 += x12 * v;
          s20 += x20 * v;
          s21 += x21 * v;
          s22 += x22 * v;
          x00 = x01;
          x01 = x02;
          x10 = x11;
          x11 = x12;
          x20 = x21;
          x21 = x22;
        }
        continue;
      }
      for (let ow = 0, x = 0; ow < outWidth; ow++, x += stride) {
        const v = grad[g + ow];
        s00 += padded[r0 + x] * v;
        s01 += padded[r0 + x + 1] * v;
        s02 += padded[r0 + x + 2] * v;
        s10 += padded[r1 + x] * v;
        s11 += padded[r1 + x + 1] * v;
        s12 += padded[r1 + x + 2] * v;
        s20 += padded[r2 + x] * v;
        s21 += padded[r2 + x + 1] * v;
        s22 += padded[r2 + x + 2] * v;
      }
    }
    sums[sumsOffset + 0] += s00;
    sums[sumsOffset + 1] += s01;
    sums[sumsOffset + 2] += s02;
    sums[sumsOffset + 3] += s10;
    sums[sumsOffset + 4] += s11;
    sums[sumsOffset + 5] += s12;
    sums[sumsOffset + 6] += s20;
    sums[sumsOffset + 7] += s21;
    sums[sumsOffset + 8] += s22;
    return;
  }
  for (let kh = 0; kh < kernelHeight; kh++) {
    for (let kw = 0; kw < kernelWidth; kw++) {
      let sum = 0;
      for (let oh = 0; oh < outHeight; oh++) {
        const row = (oh * stride + kh) * paddedWidth + kw;
        const g = gradOffset + oh * outWidth;
        for (let ow = 0; ow < outWidth; ow++) sum += padded[row + ow * stride] * grad[g + ow];
      }
      sums[sumsOffset + kh * kernelWidth + kw] += sum;
    }
  }
}
