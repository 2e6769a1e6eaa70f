import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, test } from 'vitest';
import { decodeImage, decodePgm, detectImageFormat, readImageFile } from '../../src/data/index.js';
import { tempDir } from '../helpers/temp-dir.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

describe('PGM', () => {
  test('P5 with 8-bit samples and a header comment decodes to value / maxval', () => {
    const bytes = concat(ascii('P5\n# made by a test\n3 2\n255\n'), Uint8Array.from([0, 51, 102, 153, 204, 255]));
    const image = decodePgm(bytes);
    expect([image.width, image.height]).toEqual([3, 2]);
    expect(Array.from(image.pixels)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1].map(Math.fround));
  });

  test('P5 with 16-bit big-endian samples', () => {
    const bytes = concat(ascii('P5 2 1 1000 '), Uint8Array.from([0x01, 0xf4, 0x03, 0xe8]));
    expect(Array.from(decodePgm(bytes).pixels)).toEqual([0.5, 1]);
  });

  test('P2 text samples', () => {
    const image = decodeImage(ascii('P2\n2 2\n4\n0 1\n2 4\n'));
    expect(Array.from(image.pixels)).toEqual([0, 0.25, 0.5, 1]);
  });

  test('a truncated raster is an error naming the file and the byte counts', () => {
    const bytes = concat(ascii('P5\n4 4\n255\n'), new Uint8Array(10));
    expect(() => decodeImage(bytes, 'faces/s1/1.pgm')).toThrow(
      'decodePgm: faces/s1/1.pgm: truncated raster, expected 16 bytes for 4 x 4, got 10',
    );
  });

  test('a sample above maxval and a missing size are errors', () => {
    expect(() => decodePgm(ascii('P2 1 1 5 9'), 'x.pgm')).toThrow('x.pgm: sample 0 is 9, above maxval 5');
    expect(() => decodePgm(ascii('P5\n# only a comment\n'), 'y.pgm')).toThrow('y.pgm: header has no valid width');
  });
});

describe('PNG and JPEG', () => {
  test('PNG colour pixels become ITU-R 601 luma (PIL convert L weights)', () => {
    const png = new PNG({ width: 2, height: 1 });
    png.data = Buffer.from([255, 0, 0, 255, 10, 200, 30, 128]);
    const bytes = PNG.sync.write(png);
    expect(detectImageFormat(bytes)).toBe('png');
    const image = decodeImage(bytes, 'red-green.png');
    expect(image.pixels[0]).toBeCloseTo(0.299, 6);
    expect(image.pixels[1]).toBeCloseTo((0.299 * 10 + 0.587 * 200 + 0.114 * 30) / 255, 6);
  });

  test('JPEG decodes to the luma of a flat colour within JPEG loss', () => {
    const width = 16;
    const height = 8;
    const data = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) data.set([40, 160, 220, 255], i * 4);
    const bytes = jpeg.encode({ width, height, data }, 95).data;
    expect(detectImageFormat(bytes)).toBe('jpeg');
    const image = decodeImage(bytes, 'flat.jpg');
    expect([image.width, image.height]).toEqual([width, height]);
    const luma = (0.299 * 40 + 0.587 * 160 + 0.114 * 220) / 255;
    for (const p of image.pixels) expect(Math.abs(p - luma)).toBeLessThan(0.02);
  });

  test('corrupt PNG and JPEG data are errors naming the file', () => {
    const png = PNG.sync.write(Object.assign(new PNG({ width: 4, height: 4 }), { data: Buffer.alloc(64, 7) }));
    expect(() => decodeImage(png.subarray(0, 40), 'cut.png')).toThrow(/decodeImage: cut\.png: corrupt PNG/);
    expect(() => decodeImage(Uint8Array.from([0xff, 0xd8, 0xff, 0x00, 0x01]), 'cut.jpg')).toThrow(
      /decodeImage: cut\.jpg: corrupt JPEG/,
    );
  });

  test('unknown bytes and empty files are errors naming the file', () => {
    expect(() => decodeImage(ascii('GIF89a'), 'a.gif')).toThrow(
      'decodeImage: a.gif: not a PGM, PNG or JPEG file (first bytes: 47 49 46 38)',
    );
    expect(() => decodeImage(new Uint8Array(0), 'empty.png')).toThrow('first bytes: none, file is empty');
  });

  test('readImageFile names a missing path and decodes a written file', async () => {
    const folder = tempDir('decode');
    await expect(readImageFile(join(folder, 'missing.pgm'))).rejects.toThrow(/cannot read .*missing\.pgm \(ENOENT\)/);
    await writeFile(join(folder, 'one.pgm'), ascii('P2 1 1 2 1'));
    expect(Array.from((await readImageFile(join(folder, 'one.pgm'))).pixels)).toEqual([0.5]);
  });
});
