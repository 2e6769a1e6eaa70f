import type { Generator } from '../tensor/index.js';
import { type GrayImage, grayImage } from './gray-image.js';
import { resizeBilinear } from './resize.js';

/** An image transform: gray image in, gray image of `outputSide` x `outputSide` out. */
export interface ImageTransform {
  /** Side of the square output, the model's input side. */
  readonly outputSide: number;
  /** Applies the transform; random choices come from `random`. */
  apply(image: GrayImage, random: Generator): GrayImage;
}

/** Mirrors an image left to right. */
export function horizontalFlip(image: GrayImage): GrayImage {
  const out = new Float32Array(image.pixels.length);
  const { width, height } = image;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = image.pixels[row + width - 1 - x];
  }
  return grayImage(width, height, out);
}

/** Cuts the `width` x `height` window whose top-left corner is (left, top). */
export function crop(image: GrayImage, left: number, top: number, width: number, height: number): GrayImage {
  if (left < 0 || top < 0 || left + width > image.width || top + height > image.height) {
    throw new Error(
      `crop: window ${width} x ${height} at (${left}, ${top}) does not fit in a ${image.width} x ${image.height} image`,
    );
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    out.set(image.pixels.subarray((top + y) * image.width + left, (top + y) * image.width + left + width), y * width);
  }
  return grayImage(width, height, out);
}

/**
 * The reference recipe's training transform for input side S: random horizontal flip (p = 0.5), resize to
 * round(S * 144 / 128) (144 for S = 128), random S x S crop (torchvision RandomCrop).
 */
export function trainTransform(side: number, resizeSide = Math.round((side * 144) / 128)): ImageTransform {
  assertSides('trainTransform', side, resizeSide);
  return {
    outputSide: side,
    apply(image, random) {
      const flipped = random.uniform() < 0.5 ? horizontalFlip(image) : image;
      const resized = resizeBilinear(flipped, resizeSide, resizeSide);
      const top = random.integer(0, resizeSide - side + 1);
      const left = random.integer(0, resizeSide - side + 1);
      return crop(resized, left, top, side, side);
    },
  };
}

/** The reference recipe's test transform: resize to S x S, nothing random. */
export function testTransform(side: number): ImageTransform {
  assertSides('testTransform', side, side);
  return { outputSide: side, apply: (image) => resizeBilinear(image, side, side) };
}

/**
 * Writes an image's pixels normalised as `(p - mean) / std` into `out` at `offset` (the reference recipe's
 * ToTensor + Normalize(0.5, 0.5), mapping [0, 1] to [-1, 1]).
 */
export function normalizeInto(image: GrayImage, out: Float32Array, offset: number, mean = 0.5, std = 0.5): void {
  const inverse = 1 / std;
  for (let i = 0; i < image.pixels.length; i++) out[offset + i] = (image.pixels[i] - mean) * inverse;
}

function assertSides(op: string, side: number, resizeSide: number): void {
  if (!Number.isInteger(side) || side < 1) throw new Error(`${op}: side must be a positive integer, got ${side}`);
  if (!Number.isInteger(resizeSide) || resizeSide < side) {
    throw new Error(`${op}: resize side must be an integer >= the crop side ${side}, got ${resizeSide}`);
  }
}
