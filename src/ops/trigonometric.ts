import { record } from '../tensor/autograd.js';
import type { Tensor } from '../tensor/tensor.js';
import { broadcastBinary, mapUnary } from './broadcast.js';

/** sin(x), in radians. d/dx = cos(x). */
export function sin(x: Tensor): Tensor {
  const out = mapUnary(x, Math.sin);
  return record('sin', [x], out, (g) => [broadcastBinary('sin', g, x, g.dtype, (gi, xi) => gi * Math.cos(xi))]);
}

/** cos(x), in radians. d/dx = -sin(x). */
export function cos(x: Tensor): Tensor {
  const out = mapUnary(x, Math.cos);
  return record('cos', [x], out, (g) => [broadcastBinary('cos', g, x, g.dtype, (gi, xi) => -gi * Math.sin(xi))]);
}
