import { describe, expect, test } from 'vitest';
import { main } from '../../examples/04-train-tiny-model.js';

describe('example 04: train a tiny model', () => {
  // Short settings (16 px, 6 steps, about 5 s of CPU); the printed run uses 32 px and 12 steps.
  test('the same-identity angle of held-out photos falls, and the gap to different identities grows', () => {
    const r = main({ side: 16, steps: 6 });
    expect(r.losses).toHaveLength(6);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(r.after.same).toBeLessThan(r.before.same - 10);
    expect(r.after.different - r.after.same).toBeGreaterThan(r.before.different - r.before.same + 10);
  });
});
