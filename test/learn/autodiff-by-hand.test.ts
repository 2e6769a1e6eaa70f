import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { main } from '../../examples/01-autodiff-by-hand.js';

const value = fc.double({ min: -3, max: 3, noNaN: true });

describe('example 01: autodiff by hand', () => {
  test('the printed run: hand-derived and engine gradients agree to float64 rounding', () => {
    const r = main();
    expect(r.engineLoss).toBeCloseTo(r.loss, 14);
    expect(r.maxDifference).toBeLessThan(1e-14);
    // The example's claim is about these numbers; check they are not trivially zero.
    expect(Math.abs(r.hand.b[0])).toBeGreaterThan(0.1);
  });

  test.prop(
    [fc.array(value, { minLength: 3, maxLength: 3 }), fc.array(value, { minLength: 3, maxLength: 3 }), value, value],
    {
      numRuns: 50,
    },
  )('for any inputs, the paper derivation equals backward()', (x, w, b, t) => {
    const r = main({ x, w, b, t, lambda: 0.05 });
    const scale = Math.max(1, ...r.hand.x.map(Math.abs), ...r.hand.w.map(Math.abs));
    expect(r.maxDifference).toBeLessThan(1e-12 * scale);
  });

  test('the graph listing names the leaves and ends with the loss', () => {
    const lines = main().graph.split('\n');
    expect(lines.filter((l) => / = leaf /.test(l)).map((l) => l.split(' ')[1])).toEqual(['w', 'x', 'b']);
    expect(lines.at(-1)).toMatch(/^#\d+ sum\(#\d+\) \[\] float64$/);
  });
});
