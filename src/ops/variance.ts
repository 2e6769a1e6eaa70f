import { record } from '../tensor/autograd.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastBinary, mapUnary } from './broadcast.js';
import { sumKept } from './reduce.js';
import { reducedShapes } from './reduction-shape.js';

/** Options of {@link variance}. */
export interface VarianceOptions {
  /** Divide by N - 1 (Bessel's correction, the default, as in torch.var) instead of N. */
  unbiased?: boolean;
  /** Keep the reduced dims with size 1. */
  keepdim?: boolean;
}

/**
 * Variance of x over `dim` (one dim, a list, or all dims when omitted), computed in two passes
 * (mean first, then squared deviations) so large offsets do not cancel. With one element and
 * unbiased=true the result is NaN, as in PyTorch. d var / dx = 2 (x - mean) / (N - correction).
 */
export function variance(x: Tensor, dim?: number | readonly number[], options: VarianceOptions = {}): Tensor {
  const { unbiased = true, keepdim = false } = options;
  if (typeof unbiased !== 'boolean' || typeof keepdim !== 'boolean') {
    throw new Error(`variance: unbiased and keepdim must be booleans, got ${String(unbiased)} and ${String(keepdim)}`);
  }
  const { keptShape, outShape, count } = reducedShapes('variance', x.shape, dim, keepdim);
  const divisor = Math.max(0, count - (unbiased ? 1 : 0));
  const meanKept = sumKept(x, keptShape, count);
  const centered = broadcastBinary('variance', x, meanKept, x.dtype, (v, m) => v - m);
  const squares = mapUnary(centered, (v) => v * v);
  const out = new Tensor(sumKept(squares, keptShape, divisor).data, outShape);
  return record('variance', [x], out, (g) => [
    broadcastBinary('variance', centered, new Tensor(g.data, keptShape), g.dtype, (c, gi) => (2 * c * gi) / divisor),
  ]);
}
