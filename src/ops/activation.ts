import { record } from '../tensor/autograd.js';
import type { Tensor } from '../tensor/tensor.js';
import { broadcastBinary, mapUnary } from './broadcast.js';

/** max(x, 0). d/dx = 1 where x > 0, else 0 (PyTorch's choice at the kink x = 0). */
export function relu(x: Tensor): Tensor {
  const out = mapUnary(x, (v) => (v > 0 ? v : Number.isNaN(v) ? v : 0));
  return record('relu', [x], out, (g) => [broadcastBinary('relu', g, x, g.dtype, (gi, xi) => (xi > 0 ? gi : 0))]);
}

/** Logistic sigmoid 1 / (1 + e^-x). d/dx = y (1 - y), read from the output. */
export function sigmoid(x: Tensor): Tensor {
  // Each branch exponentiates a non-positive number, so neither overflows for large |x|.
  const out = mapUnary(x, (v) => {
    if (v >= 0) return 1 / (1 + Math.exp(-v));
    const e = Math.exp(v);
    return e / (1 + e);
  });
  return record('sigmoid', [x], out, (g) => [
    broadcastBinary('sigmoid', g, out, g.dtype, (gi, yi) => gi * yi * (1 - yi)),
  ]);
}
