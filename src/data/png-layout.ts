import { inflateSync } from 'node:zlib';

/** The IHDR fields that decide how many bytes a PNG's image data must inflate to. */
interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

/** Samples per pixel of each PNG colour type (PNG spec 11.2.2). */
const channelsOfColorType: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Adam7 passes as [x start, y start, x step, y step] (PNG spec 8.2). */
const adam7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/**
 * Reads a PNG's IHDR (always the first chunk, at byte 8) and refuses more than `maxPixels` before
 * anything is allocated: a 69-byte file may claim 32000 x 32000.
 */
export function checkPngHeader(bytes: Uint8Array, source: string, maxPixels: number): PngHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (bytes.length < 33 || type !== 'IHDR') throw new Error(`decodeImage: ${source}: corrupt PNG (no IHDR header)`);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  // Zero is invalid (PNG spec 11.2.2), and 0 x 4294967295 would pass the pixel bound while the
  // decoder walks four billion empty rows.
  if (width === 0 || height === 0)
    throw new Error(`decodeImage: ${source}: PNG claims ${width} x ${height}, an empty image`);
  if (width * height > maxPixels) {
    throw new Error(
      `decodeImage: ${source}: PNG claims ${width} x ${height} = ${width * height} pixels, above the limit of ${maxPixels}`,
    );
  }
  return { width, height, bitDepth: bytes[24], colorType: bytes[25], interlaced: bytes[28] === 1 };
}

/** Bytes the filtered scanlines of an image take once inflated: a filter byte and the packed samples per row. */
function inflatedSize(header: PngHeader): number {
  const bitsPerPixel = (channelsOfColorType[header.colorType] ?? 0) * header.bitDepth;
  const rows = (width: number, height: number): number =>
    width === 0 || height === 0 ? 0 : height * (1 + Math.ceil((width * bitsPerPixel) / 8));
  if (!header.interlaced) return rows(header.width, header.height);
  let total = 0;
  for (const [x0, y0, dx, dy] of adam7) {
    total += rows(Math.ceil(Math.max(0, header.width - x0) / dx), Math.ceil(Math.max(0, header.height - y0) / dy));
  }
  return total;
}

/**
 * Checks that the IDAT chunks inflate to every row the header promises. The decoder would otherwise
 * fill missing rows with zeros (or, past its buffer, whatever memory held). The inflation is capped
 * at the promised size, so a zip bomb costs no more than an honest image.
 */
export function checkPngImageData(bytes: Uint8Array, header: PngHeader, source: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  for (let position = 8; position + 8 <= bytes.length; ) {
    const length = view.getUint32(position);
    const type = String.fromCharCode(...bytes.subarray(position + 4, position + 8));
    const end = position + 12 + length;
    if (end > bytes.length) {
      throw new Error(`decodeImage: ${source}: corrupt PNG (chunk ${type} is cut off: truncated file)`);
    }
    if (type === 'IDAT') parts.push(bytes.subarray(position + 8, position + 8 + length));
    if (type === 'IEND') break;
    position = end;
  }
  const expected = inflatedSize(header);
  let inflated: number;
  try {
    inflated = inflateSync(Buffer.concat(parts), { maxOutputLength: Math.max(1, expected) }).length;
  } catch (error) {
    // More data than the rows need is harmless (the decoder ignores it); anything else is damage.
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return;
    throw new Error(`decodeImage: ${source}: corrupt PNG (image data: ${(error as Error).message})`);
  }
  if (inflated < expected) {
    throw new Error(
      `decodeImage: ${source}: corrupt PNG (image data holds ${inflated} of the ${expected} bytes its ${header.width} x ${header.height} pixels need: truncated)`,
    );
  }
}
