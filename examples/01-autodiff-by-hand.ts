/**
 * Example 1: a gradient derived on paper, and arcgrad's backward() giving the same numbers.
 * Run: npx tsx examples/01-autodiff-by-hand.ts
 *
 * One neuron with weight decay (x, w: vectors of 3; b, t, lambda: numbers):
 *   z = sum(w * x) + b
 *   y = sigmoid(z)
 *   L = (y - t)^2 + lambda * sum(w^2)
 * The chain rule, one graph node at a time, from L down to the leaves:
 *   dL/dy   = 2 (y - t)
 *   dy/dz   = y (1 - y)                       because sigmoid' = sigmoid (1 - sigmoid)
 *   delta   = dL/dz = 2 (y - t) y (1 - y)
 *   dL/db   = delta                           because dz/db = 1
 *   dL/dx_i = delta w_i                       because dz/dx_i = w_i
 *   dL/dw_i = delta x_i + 2 lambda w_i        w feeds two paths (z and the decay); their gradients add
 * backward() does the same walk: src/tensor/autograd.ts sorts the graph topologically, calls each
 * op's recorded backward (mul's lives in src/ops/arithmetic.ts, sigmoid's in src/ops/activation.ts)
 * in reverse order, and sums the gradients of tensors used more than once.
 */
import { pathToFileURL } from 'node:url';
import { formatGraph, type Tensor, tensor } from 'arcgrad';

/** The example's inputs (defaults: the numbers printed in the README). */
export interface AutodiffOptions {
  x?: number[];
  w?: number[];
  b?: number;
  t?: number;
  lambda?: number;
}

/** Runs the example; returns the loss, both gradients and their largest difference. */
export function main(options: AutodiffOptions = {}) {
  const { x = [0.5, -1.5, 2], w = [0.8, 0.3, -0.6], b = 0.1, t = 1, lambda = 0.01 } = options;

  // By hand, in plain numbers: the formulas above.
  const z = x.reduce((sum, xi, i) => sum + w[i] * xi, 0) + b;
  const y = 1 / (1 + Math.exp(-z));
  const loss = (y - t) ** 2 + lambda * w.reduce((sum, wi) => sum + wi * wi, 0);
  const delta = 2 * (y - t) * y * (1 - y);
  const hand = { x: w.map((wi) => delta * wi), w: x.map((xi, i) => delta * xi + 2 * lambda * w[i]), b: [delta] };

  // By engine: the same expression on float64 tensors, then one backward() call.
  const leaf = (values: number[]) => tensor(values, { dtype: 'float64', requiresGrad: true });
  const [xt, wt, bt] = [leaf(x), leaf(w), leaf([b])];
  const yt = wt.mul(xt).sum().add(bt).sigmoid();
  const lt = yt.sub(t).pow(2).add(wt.pow(2).sum().mul(lambda)).sum();
  lt.backward();
  const grad = (leafTensor: Tensor) => Array.from((leafTensor.grad as Tensor).data);
  const engine = { x: grad(xt), w: grad(wt), b: grad(bt) };

  const differences = (['x', 'w', 'b'] as const).flatMap((k) => hand[k].map((h, i) => Math.abs(h - engine[k][i])));
  return {
    loss,
    engineLoss: lt.item(),
    hand,
    engine,
    maxDifference: Math.max(...differences),
    graph: formatGraph(lt, { names: { x: xt, w: wt, b: bt } }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = main();
  const show = (v: number[]) => `[${v.map((n) => n.toFixed(6)).join(', ')}]`;
  console.log(`loss by hand ${r.loss.toFixed(6)}, by engine ${r.engineLoss.toFixed(6)}`);
  console.log('The graph backward() walks (inputs first; it runs from the last line up):');
  console.log(r.graph);
  for (const k of ['x', 'w', 'b'] as const) {
    console.log(`dL/d${k}  by hand ${show(r.hand[k])}\n        by engine ${show(r.engine[k])}`);
  }
  console.log(`largest difference: ${r.maxDifference.toExponential(2)} (float64 rounding only)`);
}
