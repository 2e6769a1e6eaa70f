import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  crop,
  grayImage,
  horizontalFlip,
  resizeBilinear,
  testTransform,
  trainTransform,
} from '../../src/data/index.js';
import { Generator } from '../../src/tensor/index.js';

// A 7 x 5 ramp and PIL 9.4's bilinear resizes of it, from:
// a = np.arange(35, dtype=np.float32).reshape(5, 7) ** 1.5 / 100
// np.asarray(Image.fromarray(a, 'F').resize((3, 4), Image.BILINEAR)) and .resize((10, 9))[::3, ::3]
const ramp = grayImage(
  7,
  5,
  Float32Array.from({ length: 35 }, (_, i) => i ** 1.5 / 100),
);
const pilDown = [
  [0.063004, 0.119866, 0.194094],
  [0.367737, 0.477528, 0.596353],
  [0.835175, 0.978688, 1.129146],
  [1.418492, 1.5891, 1.765564],
];
const pilUpEveryThird = [
  [0.0, 0.02737, 0.08159, 0.146969],
  [0.335705, 0.431918, 0.54494, 0.657924],
  [1.020039, 1.15944, 1.316085, 1.467357],
];

describe('resizeBilinear', () => {
  test('downscaling matches PIL bilinear (antialiased triangle filter)', () => {
    const out = resizeBilinear(ramp, 3, 4);
    for (const [y, row] of pilDown.entries()) {
      for (const [x, v] of row.entries()) expect(out.pixels[y * 3 + x]).toBeCloseTo(v, 4);
    }
  });

  test('upscaling matches PIL bilinear', () => {
    const out = resizeBilinear(ramp, 10, 9);
    for (const [y, row] of pilUpEveryThird.entries()) {
      for (const [x, v] of row.entries()) expect(out.pixels[y * 3 * 10 + x * 3]).toBeCloseTo(v, 4);
    }
  });

  test.prop([
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 12 }),
    fc.float({ min: 0, max: 1, noNaN: true }),
  ])('a constant image stays constant at any size', (width, height, value) => {
    const out = resizeBilinear(grayImage(5, 3, new Float32Array(15).fill(value)), width, height);
    for (const p of out.pixels) expect(p).toBeCloseTo(value, 5);
  });

  test('rejects a non-integer size', () => {
    expect(() => resizeBilinear(ramp, 2.5, 3)).toThrow(
      'resizeBilinear: output size must be positive integers, got 2.5 x 3',
    );
  });
});

describe('seed transforms', () => {
  test('flipping twice gives the image back; crop takes the window', () => {
    expect(horizontalFlip(horizontalFlip(ramp)).pixels).toEqual(ramp.pixels);
    expect(horizontalFlip(ramp).pixels[0]).toBe(ramp.pixels[6]);
    expect(Array.from(crop(ramp, 1, 2, 2, 1).pixels)).toEqual([ramp.pixels[15], ramp.pixels[16]]);
    expect(() => crop(ramp, 6, 0, 2, 2)).toThrow('crop: window 2 x 2 at (6, 0) does not fit in a 7 x 5 image');
  });

  test('train transform: resize to 144/128 of the side, random crop, same output for the same seed', () => {
    const transform = trainTransform(16);
    const a = transform.apply(ramp, new Generator(3));
    const b = transform.apply(ramp, new Generator(3));
    expect([a.width, a.height]).toEqual([16, 16]);
    expect(a.pixels).toEqual(b.pixels);
    const outputs = new Set(
      Array.from({ length: 12 }, (_, s) => transform.apply(ramp, new Generator(s)).pixels.join()),
    );
    expect(outputs.size).toBeGreaterThan(1);
  });

  test('test transform is a plain resize', () => {
    expect(testTransform(6).apply(ramp, new Generator(0)).pixels).toEqual(resizeBilinear(ramp, 6, 6).pixels);
    expect(() => trainTransform(16, 12)).toThrow('trainTransform: resize side must be an integer >= the crop side 16');
  });
});
