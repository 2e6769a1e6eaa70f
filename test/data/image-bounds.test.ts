import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, test } from 'vitest';
import { decodeImage, defaultMaxImagePixels, encodePng, grayImage, readImageFile } from '../../src/data/index.js';
import { makeFifo } from '../helpers/fifo.js';
import { tempDir } from '../helpers/temp-dir.js';

/** One PNG chunk: length, type, data, CRC over type and data (PNG spec 5.3). */
function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** An 8-bit gray PNG of the given size whose IDAT holds `rows` filtered rows (filter 0) of value 200. */
function grayPng(width: number, height: number, rows: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const raster = Buffer.alloc(rows * (1 + width), 200);
  for (let r = 0; r < rows; r++) raster[r * (1 + width)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raster)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Bytes of ArrayBuffers the process holds now (typed arrays and Buffers). */
const arrayBufferBytes = (): number => process.memoryUsage().arrayBuffers;

describe('bounded image decoding', () => {
  test('a PNG of under 100 bytes claiming 32000 x 32000 is refused from its header, naming the file and the size', () => {
    const bomb = grayPng(32000, 32000, 0);
    expect(bomb.length).toBeLessThan(100);
    const before = arrayBufferBytes();
    expect(() => decodeImage(bomb, 'bomb.png')).toThrow(
      `decodeImage: bomb.png: PNG claims 32000 x 32000 = 1024000000 pixels, above the limit of ${defaultMaxImagePixels}`,
    );
    expect(arrayBufferBytes() - before).toBeLessThan(16 * 2 ** 20);
  });

  test('a PNG claiming zero columns and four billion rows is refused from its header, though it has 0 pixels', () => {
    expect(() => decodeImage(grayPng(0, 2 ** 32 - 1, 0), 'tall.png')).toThrow(
      'decodeImage: tall.png: PNG claims 0 x 4294967295, an empty image',
    );
    expect(() => decodeImage(grayPng(5, 0, 0), 'flat.png')).toThrow(
      'decodeImage: flat.png: PNG claims 5 x 0, an empty image',
    );
  });

  test('a PNG whose image data holds 10 of its 1000 rows is an error, not 990 black rows', () => {
    expect(() => decodeImage(grayPng(40, 1000, 10), 'short.png')).toThrow(
      'decodeImage: short.png: corrupt PNG (image data holds 410 of the 41000 bytes its 40 x 1000 pixels need: truncated)',
    );
    const whole = decodeImage(grayPng(40, 1000, 1000), 'whole.png');
    expect([whole.width, whole.height]).toEqual([40, 1000]);
    expect(whole.pixels.every((p) => Math.abs(p - 200 / 255) < 1e-6)).toBe(true);
  });

  test('a PNG whose compressed data is cut is an error naming the file', () => {
    const png = grayPng(40, 100, 100);
    const idatLength = png.readUInt32BE(33);
    const cut = Buffer.concat([png.subarray(0, 33), chunk('IDAT', png.subarray(41, 41 + idatLength - 6))]);
    expect(() => decodeImage(cut, 'cut.png')).toThrow(/^decodeImage: cut\.png: corrupt PNG \(image data: /);
  });

  test('a JPEG cut anywhere in its scan data is an error naming the file', () => {
    const data = Buffer.alloc(64 * 64 * 4);
    for (let i = 0; i < 64 * 64; i++) data.set([(i * 7) % 256, (i * 3) % 256, 90, 255], i * 4);
    const bytes = jpeg.encode({ width: 64, height: 64, data }, 90).data;
    for (const fraction of [0.3, 0.6, 0.99]) {
      expect(() => decodeImage(bytes.subarray(0, Math.floor(bytes.length * fraction)), 'cut.jpg')).toThrow(
        /^decodeImage: cut\.jpg: corrupt JPEG/,
      );
    }
  });

  test('maxPixels is configurable and bounds PNG, JPEG and PGM alike', () => {
    const png = encodePng(grayImage(8, 8, new Float32Array(64).fill(0.5)));
    expect(decodeImage(png, 'ok.png', { maxPixels: 64 }).width).toBe(8);
    expect(() => decodeImage(png, 'big.png', { maxPixels: 63 })).toThrow(
      'big.png: PNG claims 8 x 8 = 64 pixels, above the limit of 63',
    );
    const jpg = jpeg.encode({ width: 2000, height: 1000, data: Buffer.alloc(2000 * 1000 * 4, 90) }, 50).data;
    expect(() => decodeImage(jpg, 'big.jpg', { maxPixels: 1_000_000 })).toThrow(
      /^decodeImage: big\.jpg: corrupt JPEG \(maxResolutionInMP limit exceeded/,
    );
    const pgm = new TextEncoder().encode('P5\n100000 100000\n255\n');
    expect(() => decodeImage(pgm, 'huge.pgm')).toThrow(
      `decodePgm: huge.pgm: header claims 100000 x 100000 = 10000000000 pixels, above the limit of ${defaultMaxImagePixels}`,
    );
  });

  test('pngjs-encoded colour PNGs still decode after the data check', () => {
    const png = new PNG({ width: 3, height: 5 });
    png.data = Buffer.alloc(3 * 5 * 4, 255);
    expect(decodeImage(PNG.sync.write(png), 'white.png').pixels.every((p) => p === 1)).toBe(true);
  });

  test('a FIFO named like an image is refused before it is opened (reading it would block)', async () => {
    const dir = tempDir('bounds');
    const fifo = join(dir, 'face.png');
    if (!makeFifo(fifo)) return;
    await expect(readImageFile(fifo)).rejects.toThrow(`readImageFile: cannot read ${fifo} (not a regular file)`);
  });
});
