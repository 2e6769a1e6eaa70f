import { allocate } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type Indices, indicesShape, toIndexArray } from './indices.js';

/**
 * One-hot encoding like torch.nn.functional.one_hot, as float32: labels of shape S give a tensor of
 * shape [...S, numClasses] with a 1 at each label's class. Labels are data, so there is no gradient.
 */
export function oneHot(labels: Indices, numClasses: number): Tensor {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new Error(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  }
  const classes = toIndexArray('oneHot', 'labels', labels, numClasses, `${numClasses} classes`);
  const shape = [...indicesShape(labels), numClasses];
  const out = allocate('float32', classes.length * numClasses, `oneHot: shape ${formatShape(shape)}`);
  for (let i = 0; i < classes.length; i++) out[i * numClasses + classes[i]] = 1;
  return new Tensor(out, shape);
}
