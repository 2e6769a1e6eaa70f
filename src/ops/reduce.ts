import { record } from '../tensor/autograd.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastTo, mapUnary, sumToShape } from './broadcast.js';
import { reducedShapes } from './reduction-shape.js';

/**
 * Sum of x over `dim` (one dim, a list, or all dims when omitted), dropping the reduced dims
 * unless keepdim. Backward broadcasts the gradient back over the reduced dims.
 */
export function sum(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const { keptShape, outShape } = reducedShapes('sum', x.shape, dim, keepdim);
  const total = sumToShape(x, keptShape);
  // When nothing is folded sumToShape hands back x itself; the output must own its storage.
  const out = new Tensor(total === x ? x.data.slice() : total.data, outShape);
  return record('sum', [x], out, (g) => [broadcastTo('sum', new Tensor(g.data, keptShape), x.shape)]);
}

/** Mean of x over `dim` (see {@link sum}); NaN over an empty dim, as in PyTorch. Backward spreads g / count. */
export function mean(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const { keptShape, outShape, count } = reducedShapes('mean', x.shape, dim, keepdim);
  const total = sumToShape(x, keptShape);
  const out = new Tensor(mapUnary(total, (v) => v / count).data, outShape);
  return record('mean', [x], out, (g) => [
    broadcastTo('mean', new Tensor(mapUnary(g, (v) => v / count).data, keptShape), x.shape),
  ]);
}
