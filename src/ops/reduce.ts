import { runKernel } from '../backend/registry.js';
import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastTo, mapUnary } from './broadcast.js';
import { reducedShapes } from './reduction-shape.js';

/**
 * Sums of x over the dims that are 1 in `keptShape`, divided by `divisor`, in new storage of x's
 * dtype. float32 input is accumulated in float64 so that long reductions do not drift (PyTorch
 * sums float32 pairwise for the same reason).
 */
export function sumKept(x: Tensor, keptShape: readonly number[], divisor = 1): Tensor {
  const total = new Float64Array(sizeOf(keptShape));
  runKernel('sumToShape', { x: x.data, xShape: x.shape, out: total, outShape: keptShape });
  const out = allocate(x.dtype, total.length);
  for (let i = 0; i < out.length; i++) out[i] = total[i] / divisor;
  return new Tensor(out, keptShape);
}

/**
 * Sum of x over `dim` (one dim, a list, or all dims when omitted), dropping the reduced dims
 * unless keepdim. Backward broadcasts the gradient back over the reduced dims.
 */
export function sum(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const { keptShape, outShape } = reducedShapes('sum', x.shape, dim, keepdim);
  const out = new Tensor(sumKept(x, keptShape).data, outShape);
  return record('sum', [x], out, (g) => [broadcastTo('sum', new Tensor(g.data, keptShape), x.shape)]);
}

/** Mean of x over `dim` (see {@link sum}); NaN over an empty dim, as in PyTorch. Backward spreads g / count. */
export function mean(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const { keptShape, outShape, count } = reducedShapes('mean', x.shape, dim, keepdim);
  const out = new Tensor(sumKept(x, keptShape, count).data, outShape);
  return record('mean', [x], out, (g) => [
    broadcastTo('mean', new Tensor(mapUnary(g, (v) => v / count).data, keptShape), x.shape),
  ]);
}
