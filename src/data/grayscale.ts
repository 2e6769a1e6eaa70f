import { type GrayImage, grayImage } from './gray-image.js';

/**
 * Converts interleaved 8-bit RGB(A) pixels to gray with the ITU-R 601-2 luma weights
 * (L = 0.299 R + 0.587 G + 0.114 B), the weights of PIL's `convert('L')` behind torchvision's Grayscale.
 * Alpha is ignored, as PIL does.
 */
export function rgbToGray(data: ArrayLike<number>, width: number, height: number, channels: 3 | 4): GrayImage {
  const count = width * height;
  if (data.length < count * channels) {
    throw new Error(
      `rgbToGray: ${width} x ${height} x ${channels} needs ${count * channels} values, got ${data.length}`,
    );
  }
  const pixels = new Float32Array(count);
  for (let i = 0, j = 0; i < count; i++, j += channels) {
    pixels[i] = (0.299 * data[j] + 0.587 * data[j + 1] + 0.114 * data[j + 2]) / 255;
  }
  return grayImage(width, height, pixels);
}
