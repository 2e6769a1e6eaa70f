import type { Conv2dGeometry } from '../../../src/backend/kernels.js';
import { allocate, type FloatDType, type FloatStorage } from '../../../src/tensor/dtype.js';
import { Generator } from '../../../src/tensor/random.js';

/** Uniform values in [-1, 1) from a seeded generator (so a failing property replays). */
export function uniformStorage(dtype: FloatDType, size: number, seed: number): FloatStorage {
  const generator = new Generator(seed);
  const data = allocate(dtype, size);
  for (let i = 0; i < size; i++) data[i] = generator.uniform() * 2 - 1;
  return data;
}

/** Output side of a convolution: floor((size + 2*padding - kernel) / stride) + 1. */
export function convOutSize(size: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}

/** A square-kernel, square-input geometry. */
export function squareGeometry(
  batch: number,
  inChannels: number,
  side: number,
  outChannels: number,
  kernel: number,
  stride: number,
  padding: number,
  groups: number,
): Conv2dGeometry {
  const out = convOutSize(side, kernel, stride, padding);
  return {
    batch,
    inChannels,
    inHeight: side,
    inWidth: side,
    outChannels,
    kernelHeight: kernel,
    kernelWidth: kernel,
    strideHeight: stride,
    strideWidth: stride,
    paddingHeight: padding,
    paddingWidth: padding,
    groups,
    outHeight: out,
    outWidth: out,
  };
}

/** Every distinct FaceMobileNet convolution at input 128 (shapes from /work/shared/seed/README.md). */
export function faceMobileNetLayers(batch: number): { name: string; geometry: Conv2dGeometry }[] {
  const c = (name: string, cin: number, side: number, cout: number, k: number, s: number, p: number, g: number) => ({
    name,
    geometry: squareGeometry(batch, cin, side, cout, k, s, p, g),
  });
  return [
    c('conv1 stem 3x3 s2 1->64 @128', 1, 128, 64, 3, 2, 1, 1),
    c('conv2 depthwise 3x3 s1 64 @64', 64, 64, 64, 3, 1, 1, 64),
    c('conv3 pointwise 64->128 @64', 64, 64, 128, 1, 1, 0, 1),
    c('conv3 depthwise 3x3 s2 128 @64', 128, 64, 128, 3, 2, 1, 128),
    c('conv3 pointwise 128->64 @32', 128, 32, 64, 1, 1, 0, 1),
    c('conv4 pointwise 64->128 @32', 64, 32, 128, 1, 1, 0, 1),
    c('conv4 depthwise 3x3 s1 128 @32', 128, 32, 128, 3, 1, 1, 128),
    c('conv5 pointwise 64->256 @32', 64, 32, 256, 1, 1, 0, 1),
    c('conv5 depthwise 3x3 s2 256 @32', 256, 32, 256, 3, 2, 1, 256),
    c('conv5 pointwise 256->128 @16', 256, 16, 128, 1, 1, 0, 1),
    c('conv6 pointwise 128->256 @16', 128, 16, 256, 1, 1, 0, 1),
    c('conv6 depthwise 3x3 s1 256 @16', 256, 16, 256, 3, 1, 1, 256),
    c('conv7 pointwise 128->512 @16', 128, 16, 512, 1, 1, 0, 1),
    c('conv7 depthwise 3x3 s2 512 @16', 512, 16, 512, 3, 2, 1, 512),
    c('conv7 pointwise 512->128 @8', 512, 8, 128, 1, 1, 0, 1),
    c('conv8 pointwise 128->256 @8', 128, 8, 256, 1, 1, 0, 1),
    c('conv8 depthwise 3x3 s1 256 @8', 256, 8, 256, 3, 1, 1, 256),
    c('conv8 pointwise 256->128 @8', 256, 8, 128, 1, 1, 0, 1),
    c('conv9 pointwise 128->512 @8', 128, 8, 512, 1, 1, 0, 1),
    c('conv10 depthwise 7x7 512 @8', 512, 8, 512, 7, 1, 0, 512),
  ];
}

/**
 * The first index where |actual - expected| > abs + rel*|expected|, described, or null if none.
 * The tolerance is the GPU suite's: float32 rounding of sums of up to a few thousand terms.
 */
export function firstMismatch(actual: FloatStorage, expected: FloatStorage, abs: number, rel: number): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} vs ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]);
    if (!(difference <= abs + rel * Math.abs(expected[i]))) {
      return `index ${i}: got ${actual[i]}, reference ${expected[i]} (difference ${difference})`;
    }
  }
  return null;
}

/** Tolerances per dtype: abs 1e-4 + rel 1e-4 for float32; float64 kernels must agree to 1e-10. */
export const tolerances: Record<FloatDType, { abs: number; rel: number }> = {
  float32: { abs: 1e-4, rel: 1e-4 },
  float64: { abs: 1e-10, rel: 1e-10 },
};
