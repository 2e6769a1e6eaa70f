import { arcFaceLogits, cosFaceLogits, lineChartSvg, type Tensor, tensor } from '../src/browser.js';

/**
 * The margin explorer's curves: the target logit of Softmax, CosFace and ArcFace over the angle
 * theta between an embedding and its class centre, and each one's slope d logit / d theta, computed
 * by the library's heads and backward() (as examples/03-margin-explorer.ts does).
 */

/** Target logits and slopes at every theta: embedding (cos t, sin t), class centre (1, 0). */
function targetLogits(thetas: number[], logits: (embeddings: Tensor, weight: Tensor, labels: number[]) => Tensor) {
  const embeddings = tensor(
    thetas.map((t) => [Math.cos(t), Math.sin(t)]),
    { dtype: 'float64', requiresGrad: true },
  );
  const out = logits(
    embeddings,
    tensor([[1, 0]], { dtype: 'float64' }),
    thetas.map(() => 0),
  );
  out.sum().backward();
  // Chain rule into the angle: gradient . d embedding / d theta = gradient . (-sin t, cos t).
  const g = (embeddings.grad as Tensor).data;
  const slope = thetas.map((t, i) => -g[2 * i] * Math.sin(t) + g[2 * i + 1] * Math.cos(t));
  return { logit: Array.from(out.data), slope };
}

/** Two SVG charts (logits, slopes) for scale `s`, CosFace margin `cosFaceMargin` and ArcFace margin `m`. */
export function marginCharts(s: number, cosFaceMargin: number, m: number): { logits: string; slopes: string } {
  const points = 181;
  const thetas = Array.from({ length: points }, (_, i) => (Math.PI * i) / (points - 1));
  const degrees = thetas.map((t) => (t * 180) / Math.PI);
  const cosFace = targetLogits(thetas, (e, w, y) => cosFaceLogits(e, w, y, { s, m: cosFaceMargin }));
  const arcFace = targetLogits(thetas, (e, w, y) => arcFaceLogits(e, w, y, { s, m }));
  const softmax = thetas.map((t) => s * Math.cos(t));
  // ArcFace falls back to s (cos - m sin m) where theta + m would pass pi (the reference recipe's easy margin off).
  const fallbackStart = ((Math.PI - m) * 180) / Math.PI;
  const bands = m > 0 ? [{ from: fallbackStart, to: 180, color: '#fde2e2', label: 'fallback' }] : [];
  const series = (name: string, y: number[], color: string, dash?: string) => ({ name, x: degrees, y, color, dash });
  return {
    logits: lineChartSvg({
      title: `Target logit (s = ${s})`,
      xLabel: 'theta (degrees)',
      yLabel: 'logit',
      series: [
        series('softmax s cos t', softmax, '#888', '6 4'),
        series(`CosFace m = ${cosFaceMargin}`, cosFace.logit, '#2ca02c'),
        series(`ArcFace m = ${m}`, arcFace.logit, '#d62728'),
      ],
      bands,
      xRange: [0, 180],
      width: 520,
      height: 320,
      legend: 'bottom-left',
    }),
    slopes: lineChartSvg({
      title: 'Slope d logit / d theta (from backward)',
      xLabel: 'theta (degrees)',
      yLabel: 'd logit / d theta',
      series: [
        series(
          'softmax',
          thetas.map((t) => -s * Math.sin(t)),
          '#888',
          '6 4',
        ),
        series('CosFace', cosFace.slope, '#2ca02c'),
        series('ArcFace', arcFace.slope, '#d62728'),
      ],
      bands,
      xRange: [0, 180],
      width: 520,
      height: 320,
      legend: 'bottom-left',
    }),
  };
}
