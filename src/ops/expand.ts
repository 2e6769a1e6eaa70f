import { record } from '../tensor/autograd.js';
import { assertValidShape, formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { broadcastTo, sumToShape } from './broadcast.js';
import { assertTensor } from './shape-arguments.js';

/**
 * Broadcasts `x` to `shape` like torch.expand: size-1 dims repeat, new leading dims are added,
 * and -1 keeps a dim's size. The output is materialised (storage is always contiguous).
 * Backward sums the gradient over the repeated dims.
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('expand', 'x', x);
  if (!Array.isArray(shape) || shape.length < x.ndim) {
    throw new Error(
      `expand: target shape ${Array.isArray(shape) ? formatShape(shape) : String(shape)} has fewer dims than x ${formatShape(x.shape)}`,
    );
  }
  const lead = shape.length - x.ndim;
  const target = shape.map((size, i) => {
    const own = i >= lead ? x.shape[i - lead] : undefined;
    if (size === -1 && own !== undefined) return own;
    if (!Number.isInteger(size) || size < 0) {
      throw new Error(
        `expand: target shape ${formatShape(shape)} has size ${size} at dim ${i}; expected a non-negative integer` +
          (own === undefined ? ' (-1 is only allowed for existing dims)' : ' or -1'),
      );
    }
    if (own !== undefined && own !== size && own !== 1) {
      throw new Error(
        `expand: cannot expand ${formatShape(x.shape)} to ${formatShape(shape)}: dim ${i} has size ${own}, expected 1 or ${size}`,
      );
    }
    return size;
  });
  assertValidShape('expand', target);
  const out = broadcastTo('expand', x, target);
  // broadcastTo returns x itself when nothing expands; a fresh tensor keeps the graph node distinct.
  const result = out === x ? x.detach() : out;
  return record('expand', [x], result, (g) => [sumToShape(g, x.shape)]);
}
