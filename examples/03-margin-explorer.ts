/**
 * Example 3: CosFace and ArcFace target logits and their slopes over the angle theta between an
 * embedding and its class centre, computed by arcgrad's heads and backward(). Writes an SVG plot.
 * Run: npx tsx examples/03-margin-explorer.ts [out.svg]   (default runs/margin-explorer.svg)
 * Softmax's target logit is s cos(theta). CosFace subtracts m from the cosine, ArcFace adds m to the
 * angle: s cos(theta + m). Past theta = pi - m, cos(theta + m) would rise again (theta + m > pi), so
 * moving away from the class would raise the target logit; the reference recipe falls back to s (cos - m sin m).
 */
import { pathToFileURL } from 'node:url';
import { arcFaceLogits, cosFaceLogits, lineChartSvg, type Tensor, tensor, writeFileAtomic } from 'arcgrad';

/** Target logit and d logit / d theta for every theta: embedding (cos t, sin t), class centre (1, 0). */
function targetLogits(thetas: number[], logits: (embeddings: Tensor, weight: Tensor, labels: number[]) => Tensor) {
  const unitVectors = thetas.map((t) => [Math.cos(t), Math.sin(t)]);
  const embeddings = tensor(unitVectors, { dtype: 'float64', requiresGrad: true });
  const out = logits(
    embeddings,
    tensor([[1, 0]], { dtype: 'float64' }),
    thetas.map(() => 0),
  );
  out.sum().backward();
  // Chain rule into the angle: d/dtheta = gradient . (d embedding / d theta) = gradient . (-sin t, cos t).
  const g = (embeddings.grad as Tensor).data;
  const slope = thetas.map((t, i) => -g[2 * i] * Math.sin(t) + g[2 * i + 1] * Math.cos(t));
  return { logit: Array.from(out.data), slope };
}

/** Samples theta over [0, pi]; returns the curves, the fallback region and the slope facts the text claims. */
export function main({ s = 30, cosFaceMargin = 0.4, m = 0.5, points = 181 } = {}) {
  const thetas = Array.from({ length: points }, (_, i) => (Math.PI * i) / (points - 1));
  const cosFace = targetLogits(thetas, (e, w, y) => cosFaceLogits(e, w, y, { s, m: cosFaceMargin }));
  const arcFace = targetLogits(thetas, (e, w, y) => arcFaceLogits(e, w, y, { s, m }));
  const noFallback = thetas.map((t) => s * Math.cos(t + m));
  // Where did the engine's ArcFace leave cos(theta + m)? That is the fallback region.
  const inFallback = thetas.map((_, i) => Math.abs(arcFace.logit[i] - noFallback[i]) > 1e-9);
  const curves = { thetas, cosFace, arcFace, noFallback, inFallback };
  return {
    ...curves,
    fallbackMatchesThreshold: inFallback.every((f, i) => f === Math.cos(thetas[i]) <= Math.cos(Math.PI - m)),
    fallbackStart: thetas[inFallback.indexOf(true)],
    // Slopes inside (0, pi): at the ends the cosine is clamped to +-1, which passes no gradient.
    maxArcFaceSlope: Math.max(...arcFace.slope.slice(1, -1)),
    maxNoFallbackSlope: Math.max(...thetas.slice(1, -1).map((t) => -s * Math.sin(t + m))),
    svg: lineChartSvg({
      title: `Target logits over theta (s = ${s}; CosFace m = ${cosFaceMargin}, ArcFace m = ${m})`,
      xLabel: 'theta (radians) between embedding and class centre',
      yLabel: 'target logit',
      xRange: [0, Math.PI],
      series: [
        { name: 'softmax: s cos', x: thetas, y: thetas.map((t) => s * Math.cos(t)), color: '#1f77b4' },
        { name: 'CosFace', x: thetas, y: cosFace.logit, color: '#2ca02c' },
        { name: 's cos(theta + m), no fallback', x: thetas, y: noFallback, color: '#ff7f0e', dash: '6 4' },
        { name: 'ArcFace (seed)', x: thetas, y: arcFace.logit, color: '#d62728' },
      ],
      bands: [{ from: Math.PI - m, to: Math.PI, label: 'fallback', color: '#bbbbbb' }],
    }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = main();
  const path = process.argv[2] ?? 'runs/margin-explorer.svg';
  console.log('theta(deg)   CosFace  dCos/dtheta   ArcFace  dArc/dtheta  region');
  for (let i = 0; i < r.thetas.length; i += 15) {
    const cells = [r.cosFace.logit[i], r.cosFace.slope[i], r.arcFace.logit[i], r.arcFace.slope[i]];
    const row = cells.map((v) => v.toFixed(2).padStart(11)).join('');
    console.log(`${String(i).padStart(10)}${row}  ${r.inFallback[i] ? 'fallback' : ''}`);
  }
  console.log(
    `fallback from theta ${r.fallbackStart.toFixed(3)}, exactly where cos <= cos(pi - m): ${r.fallbackMatchesThreshold}`,
  );
  console.log(`largest ArcFace slope ${r.maxArcFaceSlope.toFixed(3)} < 0: the logit always falls as theta grows.`);
  console.log(`without it the slope reaches +${r.maxNoFallbackSlope.toFixed(3)}: training would push embeddings away.`);
  await writeFileAtomic(path, r.svg);
  console.log(`wrote ${path}`);
}
