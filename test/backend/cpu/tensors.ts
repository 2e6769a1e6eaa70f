import { Tensor } from '../../../src/tensor/tensor.js';
import { uniformStorage } from './problems.js';

/** A float64 tensor of uniform [-1, 1) values. */
export function randomTensorOf(shape: readonly number[], seed: number, requiresGrad: boolean): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(uniformStorage('float64', size, seed), shape, requiresGrad);
}
