import { describe, expect, test } from 'vitest';
import { main } from '../../examples/06-small-cnn.js';

describe('example 06: a small CNN on built-in pictures', () => {
  // Short settings (15 epochs, about 3 s of CPU); the printed run uses 30.
  test('test accuracy rises from chance to above 0.8 and the loss falls', () => {
    const r = main({ epochs: 15, warmup: 3 });
    expect(r.before).toBeLessThan(0.5);
    expect(r.after).toBeGreaterThan(0.8);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(r.losses[r.losses.length - 1]).toBeLessThan(r.losses[0] / 2);
  });
});
