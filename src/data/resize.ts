import { type GrayImage, grayImage } from './gray-image.js';

/**
 * Bilinear resize with PIL's resampling (the filter behind torchvision's Resize on PIL images):
 * a triangle filter whose support widens with the downscale factor, so shrinking averages every
 * source pixel instead of aliasing. Pixel centres sit at half-integers (align_corners = false).
 */
export function resizeBilinear(image: GrayImage, width: number, height: number): GrayImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`resizeBilinear: output size must be positive integers, got ${width} x ${height}`);
  }
  if (width === image.width && height === image.height) return grayImage(width, height, image.pixels.slice());
  const horizontal = filterWeights(image.width, width);
  const vertical = filterWeights(image.height, height);

  // Separable: rows first into an intermediate of height image.height, then columns.
  const rows = new Float32Array(width * image.height);
  for (let y = 0; y < image.height; y++) {
    const sourceRow = y * image.width;
    for (let x = 0; x < width; x++) {
      const start = horizontal.start[x];
      const offset = x * horizontal.span;
      let sum = 0;
      for (let k = 0; k < horizontal.count[x]; k++)
        sum += horizontal.weights[offset + k] * image.pixels[sourceRow + start + k];
      rows[y * width + x] = sum;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const start = vertical.start[y];
    const offset = y * vertical.span;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = 0; k < vertical.count[y]; k++) sum += vertical.weights[offset + k] * rows[(start + k) * width + x];
      out[y * width + x] = sum;
    }
  }
  return grayImage(width, height, out);
}

interface FilterWeights {
  start: Int32Array;
  count: Int32Array;
  span: number;
  weights: Float64Array;
}

/** Normalised triangle-filter taps for each output index (PIL's ImagingResample precompute_coeffs). */
function filterWeights(inputSize: number, outputSize: number): FilterWeights {
  const scale = inputSize / outputSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale;
  const span = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outputSize);
  const count = new Int32Array(outputSize);
  const weights = new Float64Array(outputSize * span);
  for (let i = 0; i < outputSize; i++) {
    const center = (i + 0.5) * scale;
    const first = Math.max(0, Math.trunc(center - support + 0.5));
    const last = Math.min(inputSize, Math.trunc(center + support + 0.5));
    let total = 0;
    for (let x = first; x < last; x++) {
      const w = Math.max(0, 1 - Math.abs((x - center + 0.5) / filterScale));
      weights[i * span + (x - first)] = w;
      total += w;
    }
    if (total > 0) for (let k = 0; k < last - first; k++) weights[i * span + k] /= total;
    start[i] = first;
    count[i] = last - first;
  }
  return { start, count, span, weights };
}
