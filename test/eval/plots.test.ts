import { describe, expect, test } from 'vitest';
import { arcfaceMarginSvg, lossCurveSvg, rocCurve, rocCurveSvg } from '../../src/eval/index.js';

const polylinePoints = (svg: string): number => (svg.match(/<polyline/g) ?? []).length;

describe('SVG plots', () => {
  test('the ArcFace figure draws cos, cos(theta + m), phi and the fallback band from pi - m', () => {
    const svg = arcfaceMarginSvg(0.5);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(polylinePoints(svg)).toBe(3);
    expect(svg).toContain('>fallback<');
    expect(svg).toContain('>cos - m sin m<');
    expect(svg).not.toContain('NaN');
  });

  test('loss and ROC plots contain one marker per epoch and the chance line', () => {
    const loss = lossCurveSvg([17.9, 12.1, 9.5, 6.6]);
    expect((loss.match(/<circle/g) ?? []).length).toBe(4);
    const roc = rocCurveSvg(rocCurve([0.9, 0.2, 0.4], [true, false, true]), 1);
    expect(polylinePoints(roc)).toBe(2);
    expect(roc).toContain('AUC 1.0000');
    expect(() => lossCurveSvg([])).toThrow('lossCurveSvg: no losses to plot');
  });
});
