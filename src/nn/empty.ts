import { zeros } from '../tensor/create.js';
import { assertValidShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** A float32 tensor of `shape` for an initialiser to fill; checks the shape in the layer's name. */
export function empty(layer: string, shape: readonly number[]): Tensor {
  assertValidShape(layer, shape);
  return zeros(shape);
}
