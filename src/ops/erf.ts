import { record } from '../tensor/autograd.js';
import type { Tensor } from '../tensor/tensor.js';
import { broadcastBinary, mapUnary } from './broadcast.js';

const twoOverSqrtPi = 2 / Math.sqrt(Math.PI);

/**
 * The error function erf(v) = 2/sqrt(pi) * integral_0^v e^(-t^2) dt, to about 1e-15 relative.
 * JavaScript's Math has no erf. The series erf(v) = 2/sqrt(pi) e^(-v^2) sum_n 2^n v^(2n+1) / (1*3*...*(2n+1))
 * (Abramowitz and Stegun 7.1.6) has only positive terms, so it never cancels; beyond |v| = 6,
 * erf is 1 to double precision.
 */
export function errorFunction(v: number): number {
  if (Number.isNaN(v)) return v;
  const a = Math.abs(v);
  if (a >= 6) return Math.sign(v);
  const square = a * a;
  let term = a;
  let total = a;
  for (let n = 1; term > 1e-17 * total; n++) {
    term *= (2 * square) / (2 * n + 1);
    total += term;
  }
  return Math.sign(v) * twoOverSqrtPi * Math.exp(-square) * total;
}

/** The error function, as torch.erf. d/dx = 2/sqrt(pi) e^(-x^2). */
export function erf(x: Tensor): Tensor {
  const out = mapUnary(x, errorFunction);
  return record('erf', [x], out, (g) => [
    broadcastBinary('erf', g, x, g.dtype, (gi, xi) => gi * twoOverSqrtPi * Math.exp(-xi * xi)),
  ]);
}
