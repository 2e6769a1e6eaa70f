import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { decodeImage, encodePng, grayImage } from '../../src/data/index.js';

const png = encodePng(
  grayImage(
    6,
    5,
    Float32Array.from({ length: 30 }, (_, i) => i / 30),
  ),
);
const pgm = new TextEncoder().encode(`P5\n6 5\n255\n${'A'.repeat(30)}`);

/** Byte edits: (position, new value) pairs applied to a copy. */
const edits = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 });

function mutate(bytes: Uint8Array, changes: [number, number][], cut: number): Uint8Array {
  const out = bytes.slice(0, bytes.length - (cut % bytes.length));
  for (const [at, value] of changes) out[at % out.length] = value;
  return out;
}

describe('mutated images', () => {
  test.prop([fc.constantFrom(png, pgm), edits, fc.nat({ max: 40 })], { numRuns: 300 })(
    'decode to an image that holds all its pixels, or fail with an error naming the file',
    (bytes, changes, cut) => {
      let image: ReturnType<typeof decodeImage>;
      try {
        image = decodeImage(mutate(bytes, changes, cut), 'mutant', { maxPixels: 4096 });
      } catch (error) {
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).toMatch(/^decode(Image|Pgm): mutant: /);
        return;
      }
      expect(image.width * image.height).toBeLessThanOrEqual(4096);
      expect(image.pixels.length).toBe(image.width * image.height);
      expect(image.pixels.every((p) => p >= 0 && p <= 1)).toBe(true);
    },
  );
});
