import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodePgm, isPgm } from './decode-pgm.js';
import type { GrayImage } from './gray-image.js';
import { rgbToGray } from './grayscale.js';

/** Image file formats the decoder recognises by their leading bytes. */
export type ImageFormat = 'pgm' | 'png' | 'jpeg';

/** File extensions (lower case, with the dot) that identity folders treat as images. */
export const imageExtensions: readonly string[] = ['.pgm', '.png', '.jpg', '.jpeg'];

/** Detects the format from the magic bytes (not the file name), or null when unknown. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (isPgm(bytes)) return 'pgm';
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    return 'png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/**
 * Decodes PGM, PNG (pngjs) or JPEG (jpeg-js) bytes to a gray image in [0, 1].
 * Errors name `source` (the file), so a corrupt image in a large folder can be found.
 */
export function decodeImage(bytes: Uint8Array, source = 'image data'): GrayImage {
  const format = detectImageFormat(bytes);
  if (format === null) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new Error(
      `decodeImage: ${source}: not a PGM, PNG or JPEG file (first bytes: ${head || 'none, file is empty'})`,
    );
  }
  if (format === 'pgm') return decodePgm(bytes, source);
  try {
    if (format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return rgbToGray(png.data, png.width, png.height, 4);
    }
    // A memory ceiling guards against a corrupt header claiming a huge image.
    const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
    return rgbToGray(decoded.data, decoded.width, decoded.height, 4);
  } catch (error) {
    throw new Error(`decodeImage: ${source}: corrupt ${format.toUpperCase()} (${(error as Error).message})`);
  }
}

/** Reads and decodes an image file; errors name the path. */
export async function readImageFile(path: string): Promise<GrayImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(
      `readImageFile: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return decodeImage(bytes, path);
}
