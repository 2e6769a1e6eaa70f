import { type GrayImage, grayImage } from './gray-image.js';
import { type DecodeImageOptions, defaultMaxImagePixels } from './image-limits.js';

/** True when the bytes start with a PGM magic number (P5 binary or P2 text). */
export function isPgm(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x50 && (bytes[1] === 0x35 || bytes[1] === 0x32);
}

/**
 * Parses a PGM image (Netpbm: P5 binary with 1 or 2 bytes a sample, or P2 text), the format of the
 * ORL faces. Values are scaled by maxval to [0, 1]. `source` names the file in errors. A header
 * claiming more than `options.maxPixels` (default `defaultMaxImagePixels`) is refused before allocating.
 */
export function decodePgm(bytes: Uint8Array, source = 'PGM data', options: DecodeImageOptions = {}): GrayImage {
  if (!isPgm(bytes)) throw new Error(`decodePgm: ${source}: missing the P5/P2 magic number`);
  const binary = bytes[1] === 0x35;
  let position = 2;

  // The header is whitespace-separated ASCII integers, with '#' comments running to the end of a line.
  const readHeaderInteger = (what: string): number => {
    for (;;) {
      while (position < bytes.length && isWhitespace(bytes[position])) position++;
      if (bytes[position] !== 0x23) break;
      while (position < bytes.length && bytes[position] !== 0x0a && bytes[position] !== 0x0d) position++;
    }
    const start = position;
    let value = 0;
    while (position < bytes.length && bytes[position] >= 0x30 && bytes[position] <= 0x39) {
      value = value * 10 + bytes[position] - 0x30;
      position++;
    }
    if (position === start) throw new Error(`decodePgm: ${source}: header has no valid ${what}`);
    return value;
  };

  const width = readHeaderInteger('width');
  const height = readHeaderInteger('height');
  const maxValue = readHeaderInteger('maxval');
  if (width < 1 || height < 1) throw new Error(`decodePgm: ${source}: size ${width} x ${height} is empty`);
  if (maxValue < 1 || maxValue > 65535) {
    throw new Error(`decodePgm: ${source}: maxval must be in 1..65535, got ${maxValue}`);
  }
  const count = width * height;
  const maxPixels = options.maxPixels ?? defaultMaxImagePixels;
  if (count > maxPixels) {
    throw new Error(
      `decodePgm: ${source}: header claims ${width} x ${height} = ${count} pixels, above the limit of ${maxPixels}`,
    );
  }
  const pixels = new Float32Array(count);

  if (binary) {
    // Exactly one whitespace byte separates maxval from the raster.
    if (!isWhitespace(bytes[position])) throw new Error(`decodePgm: ${source}: no whitespace after maxval`);
    position++;
    const bytesPerSample = maxValue < 256 ? 1 : 2;
    const needed = count * bytesPerSample;
    if (bytes.length - position < needed) {
      throw new Error(
        `decodePgm: ${source}: truncated raster, expected ${needed} bytes for ${width} x ${height}, got ${bytes.length - position}`,
      );
    }
    for (let i = 0; i < count; i++) {
      const sample =
        bytesPerSample === 1 ? bytes[position + i] : (bytes[position + 2 * i] << 8) | bytes[position + 2 * i + 1];
      if (sample > maxValue)
        throw new Error(`decodePgm: ${source}: sample ${i} is ${sample}, above maxval ${maxValue}`);
      pixels[i] = sample / maxValue;
    }
  } else {
    for (let i = 0; i < count; i++) {
      while (position < bytes.length && isWhitespace(bytes[position])) position++;
      if (position >= bytes.length) {
        throw new Error(`decodePgm: ${source}: truncated raster, expected ${count} samples, got ${i}`);
      }
      const start = position;
      let sample = 0;
      while (position < bytes.length && bytes[position] >= 0x30 && bytes[position] <= 0x39) {
        sample = sample * 10 + bytes[position] - 0x30;
        position++;
      }
      if (position === start) {
        throw new Error(`decodePgm: ${source}: sample ${i} is not a number (byte ${bytes[position]} at ${position})`);
      }
      if (sample > maxValue)
        throw new Error(`decodePgm: ${source}: sample ${i} is ${sample}, above maxval ${maxValue}`);
      pixels[i] = sample / maxValue;
    }
  }
  return grayImage(width, height, pixels);
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0b || byte === 0x0c;
}
