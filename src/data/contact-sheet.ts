import { PNG } from 'pngjs';
import { type GrayImage, grayImage } from './gray-image.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Options of `contactSheet`. */
export interface ContactSheetOptions {
  /** Images per row (default: the square root of the count, rounded up). */
  columns?: number;
  /** Pixels between tiles (default 2), filled with `background` (default 1, white). */
  gap?: number;
  background?: number;
}

/** Tiles equally sized images into one gray image, row by row, for viewing a dataset at a glance. */
export function contactSheet(images: readonly GrayImage[], options: ContactSheetOptions = {}): GrayImage {
  if (images.length === 0) throw new Error('contactSheet: no images');
  const { width, height } = images[0];
  for (const [i, image] of images.entries()) {
    if (image.width !== width || image.height !== height) {
      throw new Error(`contactSheet: image ${i} is ${image.width} x ${image.height}, expected ${width} x ${height}`);
    }
  }
  const columns = options.columns ?? Math.ceil(Math.sqrt(images.length));
  const gap = options.gap ?? 2;
  const rows = Math.ceil(images.length / columns);
  const sheetWidth = columns * width + (columns + 1) * gap;
  const sheetHeight = rows * height + (rows + 1) * gap;
  const pixels = new Float32Array(sheetWidth * sheetHeight).fill(options.background ?? 1);
  images.forEach((image, i) => {
    const left = gap + (i % columns) * (width + gap);
    const top = gap + Math.floor(i / columns) * (height + gap);
    for (let y = 0; y < height; y++) {
      pixels.set(image.pixels.subarray(y * width, (y + 1) * width), (top + y) * sheetWidth + left);
    }
  });
  return grayImage(sheetWidth, sheetHeight, pixels);
}

/** Encodes a gray image as an 8-bit grayscale PNG (pngjs). */
export function encodePng(image: GrayImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height, colorType: 0, inputColorType: 0, bitDepth: 8 });
  const data = Buffer.alloc(image.width * image.height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.min(1, Math.max(0, image.pixels[i])) * 255);
  png.data = data;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8 });
}

/** Writes a contact sheet of `images` as a PNG file (atomically: temp file, then rename). */
export async function writeContactSheet(
  path: string,
  images: readonly GrayImage[],
  options: ContactSheetOptions = {},
): Promise<void> {
  await writeFileAtomic(path, encodePng(contactSheet(images, options)));
}
