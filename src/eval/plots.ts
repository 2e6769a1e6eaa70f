import type { RocCurve } from './roc.js';
import { lineChartSvg } from './svg.js';

/**
 * The reference recipe's explanatory figure for ArcFace: over theta in [0, pi], cos(theta), cos(theta + m) and
 * the phi actually used, which past theta = pi - m (cos(theta) <= cos(pi - m)) falls back to
 * cos(theta) - m sin(m), so the target logit keeps decreasing with theta (ArcFace, Deng et al. 2019).
 */
export function arcfaceMarginSvg(margin = 0.5, points = 361): string {
  const theta = Float64Array.from({ length: points }, (_, i) => (Math.PI * i) / (points - 1));
  const threshold = Math.cos(Math.PI - margin);
  const fallback = Math.sin(Math.PI - margin) * margin;
  const phi = theta.map((t) => {
    const cosine = Math.cos(t);
    return cosine > threshold ? Math.cos(t + margin) : cosine - fallback;
  });
  return lineChartSvg({
    title: `ArcFace target logit / s (m = ${margin})`,
    xLabel: 'theta (radians): angle between embedding and class centre',
    yLabel: 'logit / s',
    xRange: [0, Math.PI],
    legend: 'bottom-left',
    // phi is drawn wide and pale first, so the dashed cos(theta + m) it follows stays visible on top.
    series: [
      { name: 'phi(theta) used', x: theta, y: phi, color: '#d62728', width: 6, opacity: 0.45 },
      { name: 'cos(theta)', x: theta, y: theta.map(Math.cos), color: '#1f77b4' },
      { name: 'cos(theta + m)', x: theta, y: theta.map((t) => Math.cos(t + margin)), color: '#ff7f0e', dash: '6 4' },
    ],
    bands: [{ from: Math.PI - margin, to: Math.PI, label: 'fallback\ncos - m sin m', color: '#bbbbbb' }],
  });
}

/** Training loss per epoch. */
export function lossCurveSvg(losses: readonly number[], title = 'Training loss per epoch'): string {
  if (losses.length === 0) throw new Error('lossCurveSvg: no losses to plot');
  return lineChartSvg({
    title,
    xLabel: 'epoch',
    yLabel: 'mean training loss',
    series: [{ name: 'loss', x: losses.map((_, i) => i + 1), y: losses, color: '#1f77b4', markers: true }],
  });
}

/** ROC curve (true accept rate against false accept rate) with the chance diagonal. */
export function rocCurveSvg(curve: RocCurve, auc: number): string {
  return lineChartSvg({
    title: `ROC (AUC ${auc.toFixed(4)})`,
    xLabel: 'false accept rate',
    yLabel: 'true accept rate',
    xRange: [0, 1],
    yRange: [0, 1],
    legend: 'bottom-right',
    series: [
      { name: 'verification', x: curve.falsePositiveRates, y: curve.truePositiveRates, color: '#d62728' },
      { name: 'chance', x: [0, 1], y: [0, 1], color: '#999999', dash: '4 4' },
    ],
  });
}
