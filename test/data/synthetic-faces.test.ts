import { describe, expect, test } from 'vitest';
import { contactSheet, decodeImage, encodePng, SyntheticFaces } from '../../src/data/index.js';

const meanAbsoluteDifference = (a: Float32Array, b: Float32Array): number =>
  a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;

describe('SyntheticFaces', () => {
  test('the same seed gives the same identities and pixels; another seed different ones', () => {
    const a = new SyntheticFaces({ identities: 2, imagesPerIdentity: 2, side: 24, seed: 7 });
    const b = new SyntheticFaces({ identities: 2, imagesPerIdentity: 2, side: 24, seed: 7 });
    const c = new SyntheticFaces({ identities: 2, imagesPerIdentity: 2, side: 24, seed: 8 });
    expect(a.identities).toEqual(b.identities);
    expect(a.render(3).pixels).toEqual(b.render(3).pixels);
    expect(a.identities[0]).not.toEqual(c.identities[0]);
  });

  test('images are side x side in [0, 1]; labels group consecutive images; names say identity and photo', () => {
    const faces = new SyntheticFaces({ identities: 3, imagesPerIdentity: 4, side: 20, seed: 1, firstIdentity: 10 });
    const image = faces.render(5);
    expect([image.width, image.height]).toEqual([20, 20]);
    for (const p of image.pixels) expect(p >= 0 && p <= 1).toBe(true);
    expect([faces.label(0), faces.label(3), faces.label(4), faces.label(11)]).toEqual([0, 0, 1, 2]);
    expect(faces.describe(5)).toBe('synthetic-11/1');
    expect(() => faces.label(12)).toThrow('image index 12 is outside 0..11');
  });

  test('held-out identities (a later firstIdentity) are other people than the training ones', () => {
    const train = new SyntheticFaces({ identities: 4, imagesPerIdentity: 1, side: 16, seed: 0 });
    const held = new SyntheticFaces({ identities: 4, imagesPerIdentity: 1, side: 16, seed: 0, firstIdentity: 4 });
    for (const person of held.identities) expect(train.identities).not.toContainEqual(person);
  });

  test('photos of one person differ (pose, light, noise) but less than photos of different people on average', () => {
    const faces = new SyntheticFaces({ identities: 6, imagesPerIdentity: 4, side: 32, seed: 2, variation: 0.5 });
    let within = 0;
    let between = 0;
    for (let p = 0; p < 6; p++) {
      within += meanAbsoluteDifference(faces.render(p * 4).pixels, faces.render(p * 4 + 1).pixels);
      between += meanAbsoluteDifference(faces.render(p * 4).pixels, faces.render(((p + 1) % 6) * 4).pixels);
    }
    expect(within).toBeGreaterThan(0);
    expect(within).toBeLessThan(between);
  });

  test('a contact sheet tiles the images and survives a PNG round trip', () => {
    const faces = new SyntheticFaces({ identities: 2, imagesPerIdentity: 3, side: 8, seed: 0 });
    const sheet = contactSheet(
      Array.from({ length: 6 }, (_, i) => faces.render(i)),
      { columns: 3, gap: 1 },
    );
    expect([sheet.width, sheet.height]).toEqual([3 * 8 + 4, 2 * 8 + 3]);
    const decoded = decodeImage(encodePng(sheet), 'sheet.png');
    for (let i = 0; i < sheet.pixels.length; i++)
      expect(Math.abs(decoded.pixels[i] - sheet.pixels[i])).toBeLessThan(0.5 / 255 + 1e-6);
  });
});
