import { readFile, stat } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodePgm, isPgm } from './decode-pgm.js';
import type { GrayImage } from './gray-image.js';
import { rgbToGray } from './grayscale.js';
import { type DecodeImageOptions, defaultMaxImagePixels } from './image-limits.js';
import { checkPngHeader, checkPngImageData } from './png-layout.js';

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
 * Errors name `source` (the file), so a corrupt image in a large folder can be found. An image
 * whose header claims more than `maxPixels`, or whose data is shorter than its header says, is an
 * error: never a huge allocation, never rows of zeros.
 */
export function decodeImage(bytes: Uint8Array, source = 'image data', options: DecodeImageOptions = {}): GrayImage {
  const maxPixels = options.maxPixels ?? defaultMaxImagePixels;
  const format = detectImageFormat(bytes);
  if (format === null) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new Error(
      `decodeImage: ${source}: not a PGM, PNG or JPEG file (first bytes: ${head || 'none, file is empty'})`,
    );
  }
  if (format === 'pgm') return decodePgm(bytes, source, { maxPixels });
  if (format === 'png') {
    const header = checkPngHeader(bytes, source, maxPixels);
    checkPngImageData(bytes, header, source);
  }
  try {
    if (format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return rgbToGray(png.data, png.width, png.height, 4);
    }
    // A memory ceiling guards against a corrupt header claiming a huge image.
    const decoded = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: maxPixels / 1e6,
      maxMemoryUsageInMB: 256 + (maxPixels * 8) / 2 ** 20,
    });
    return rgbToGray(decoded.data, decoded.width, decoded.height, 4);
  } catch (error) {
    throw new Error(`decodeImage: ${source}: corrupt ${format.toUpperCase()} (${(error as Error).message})`);
  }
}

/**
 * Reads and decodes an image file; errors name the path. Anything but a regular file (a FIFO, a
 * device, a folder) is refused before it is opened, since reading one can block forever.
 */
export async function readImageFile(path: string, options: DecodeImageOptions = {}): Promise<GrayImage> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a regular file');
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(
      `readImageFile: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return decodeImage(bytes, path, options);
}
