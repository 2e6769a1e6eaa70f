import { add, matmul, mul, sum, type Tensor, tanh, tensor, toSvg } from '../src/browser.js';

/**
 * The autograd graph of one small expression, as the library draws it (tensor/graph-view.ts):
 * loss = sum(tanh(x w + b) * y). Returns the SVG and the gradients backward() left on the leaves.
 */
export function graphExample(): { svg: string; gradients: Record<string, number[]> } {
  const x = tensor([
    [1, -2],
    [0.5, 3],
  ]);
  const w = tensor(
    [
      [0.2, -0.4, 0.1],
      [0.7, 0.3, -0.5],
    ],
    { requiresGrad: true },
  );
  const b = tensor([0.1, 0, -0.1], { requiresGrad: true });
  const y = tensor([
    [1, 0, -1],
    [0, 1, 1],
  ]);
  const loss = sum(mul(tanh(add(matmul(x, w), b)), y));
  loss.backward();
  const values = (t: Tensor) => Array.from(t.grad?.data ?? [], (v) => Math.round(v * 1e4) / 1e4);
  return { svg: toSvg(loss, { names: { x, w, b, y, loss } }), gradients: { w: values(w), b: values(b) } };
}
