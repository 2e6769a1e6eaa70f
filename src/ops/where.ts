import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { broadcastShapes, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastTo, sumToShape } from './broadcast.js';
import { type Operand, operands, resultDType } from './operand.js';

/** Picks values of g where the mask is (or is not) set, zero elsewhere. */
function masked(g: Tensor, mask: Tensor, keep: boolean): Tensor {
  const out = allocate(g.dtype, g.size);
  const gd = g.data;
  const md = mask.data;
  for (let i = 0; i < out.length; i++) out[i] = (md[i] !== 0) === keep ? gd[i] : 0;
  return new Tensor(out, g.shape);
}

/**
 * Elementwise `cond ? a : b` (cond is true where non-zero), all three broadcast together like
 * torch.where. The gradient flows to a where cond holds and to b elsewhere; cond gets none.
 */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  if (!(cond instanceof Tensor)) throw new Error(`where: cond must be a tensor, got ${String(cond)}`);
  const [x, y] = operands('where', a, b);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, x.shape), y.shape);
  const mask = broadcastTo('where', cond, shape);
  const xs = broadcastTo('where', x, shape).data;
  const ys = broadcastTo('where', y, shape).data;
  const md = mask.data;
  const out = allocate(resultDType(x, y), sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = md[i] !== 0 ? xs[i] : ys[i];
  return record('where', [x, y], new Tensor(out, shape), (g) => [
    x.requiresGrad ? sumToShape(masked(g, mask, true), x.shape) : null,
    y.requiresGrad ? sumToShape(masked(g, mask, false), y.shape) : null,
  ]);
}
