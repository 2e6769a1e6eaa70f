import { record } from '../tensor/autograd.js';
import type { Tensor } from '../tensor/tensor.js';
import { broadcastBinary, mapUnary } from './broadcast.js';
import { assertFinite } from './operand.js';

/**
 * Elementwise math functions. Each backward multiplies the incoming gradient by the local
 * derivative, written with the saved input or output (whichever is cheaper and exact).
 */

/** g * d(x) elementwise, for two tensors of the same shape. */
function times(g: Tensor, local: Tensor, f: (gradient: number, value: number) => number): Tensor {
  return broadcastBinary('backward', g, local, g.dtype, f);
}

/** x^exponent for a finite number exponent. d/dx = exponent * x^(exponent-1); zero for exponent 0, as in PyTorch. */
export function pow(x: Tensor, exponent: number): Tensor {
  assertFinite('pow', 'exponent', exponent);
  const out = mapUnary(x, (v) => v ** exponent);
  return record('pow', [x], out, (g) => [
    // exponent 0 would give 0 * x^-1 = NaN at x = 0; the true derivative is 0 everywhere.
    exponent === 0 ? mapUnary(g, () => 0) : times(g, x, (gi, xi) => gi * exponent * xi ** (exponent - 1)),
  ]);
}

/** e^x. d/dx = e^x, read from the output. */
export function exp(x: Tensor): Tensor {
  const out = mapUnary(x, Math.exp);
  return record('exp', [x], out, (g) => [times(g, out, (gi, yi) => gi * yi)]);
}

/** Natural logarithm (NaN below 0, -Infinity at 0, as in PyTorch). d/dx = 1/x. */
export function log(x: Tensor): Tensor {
  const out = mapUnary(x, Math.log);
  return record('log', [x], out, (g) => [times(g, x, (gi, xi) => gi / xi)]);
}

/** Square root. d/dx = 1 / (2 sqrt(x)), read from the output. */
export function sqrt(x: Tensor): Tensor {
  const out = mapUnary(x, Math.sqrt);
  return record('sqrt', [x], out, (g) => [times(g, out, (gi, yi) => gi / (2 * yi))]);
}

/** |x|. d/dx = sign(x), with sign(0) = 0 as in PyTorch. */
export function abs(x: Tensor): Tensor {
  const out = mapUnary(x, Math.abs);
  return record('abs', [x], out, (g) => [times(g, x, (gi, xi) => (xi > 0 ? gi : xi < 0 ? -gi : 0))]);
}
