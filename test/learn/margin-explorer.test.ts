import { describe, expect, test } from 'vitest';
import { main } from '../../examples/03-margin-explorer.js';

describe('example 03: margin explorer', () => {
  const s = 30;
  const m = 0.5;
  const r = main({ s, m, cosFaceMargin: 0.4, points: 181 });

  test('the fallback region is exactly where cos(theta) <= cos(pi - m)', () => {
    expect(r.fallbackMatchesThreshold).toBe(true);
    const first = r.inFallback.indexOf(true);
    expect(r.thetas[first]).toBeGreaterThanOrEqual(Math.PI - m - 1e-12);
    expect(r.thetas[first - 1]).toBeLessThan(Math.PI - m);
    expect(r.inFallback.slice(first).every(Boolean)).toBe(true);
    // In the fallback the logit is s (cos - m sin(pi - m)), the reference recipe's formula.
    for (let i = first; i < r.thetas.length; i++) {
      expect(r.arcFace.logit[i]).toBeCloseTo(s * (Math.cos(r.thetas[i]) - m * Math.sin(Math.PI - m)), 9);
    }
  });

  test('the reference recipe needs it: ArcFace falls everywhere, cos(theta + m) would rise past pi - m', () => {
    expect(r.maxArcFaceSlope).toBeLessThan(0);
    expect(r.maxNoFallbackSlope).toBeGreaterThan(10);
  });

  test('engine slopes match the calculus: CosFace -s sin(theta), ArcFace -s sin(theta + m) before the fallback', () => {
    for (let i = 1; i < r.thetas.length - 1; i++) {
      const t = r.thetas[i];
      expect(r.cosFace.logit[i]).toBeCloseTo(s * (Math.cos(t) - 0.4), 9);
      expect(r.cosFace.slope[i]).toBeCloseTo(-s * Math.sin(t), 7);
      const expected = r.inFallback[i] ? -s * Math.sin(t) : -s * Math.sin(t + m);
      expect(r.arcFace.slope[i]).toBeCloseTo(expected, 6);
    }
  });

  test('the SVG (src/eval lineChartSvg) has the four curves and the fallback band', () => {
    expect(r.svg.startsWith('<svg')).toBe(true);
    expect(r.svg.match(/<polyline/g)).toHaveLength(4);
    expect(r.svg).toContain('fallback');
    expect(r.svg).toContain('ArcFace (seed)');
  });
});
