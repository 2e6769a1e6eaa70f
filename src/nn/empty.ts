import { zeros } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import { assertValidShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** A tensor of `shape` (float32 by default) for an initialiser to fill; checks the shape in the layer's name. */
export function empty(layer: string, shape: readonly number[], dtype: DType = 'float32'): Tensor {
  assertValidShape(layer, shape);
  return zeros(shape, { dtype });
}
