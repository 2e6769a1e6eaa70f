import { toIndexArray } from '../ops/index.js';
import type { Indices } from '../ops/indices.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Class labels as an Int32Array, checked for the classifiers and margin heads: a number array, an
 * Int32Array or a 1-D integer tensor, one label per sample, each in [0, classes). Errors name `op`.
 */
export function classLabels(op: string, labels: Indices, batch: number, classes: number): Int32Array {
  if (labels instanceof Tensor && labels.ndim !== 1) {
    throw new Error(`${op}: labels must be 1-D [batch], got shape ${formatShape(labels.shape)}`);
  }
  const indices = toIndexArray(op, 'labels', labels, classes, `${classes} classes`);
  if (indices.length !== batch) {
    throw new Error(`${op}: got ${indices.length} labels for a batch of ${batch}`);
  }
  return indices;
}
