import { Tensor } from '../tensor/tensor.js';

/**
 * A tensor that a module owns and an optimizer updates: it requires gradients by default and
 * shares storage with the tensor it wraps (like torch.nn.Parameter).
 */
export class Parameter extends Tensor {
  /** Wraps `source`'s storage and shape; gradients flow to it unless `requiresGrad` is false. */
  constructor(source: Tensor, requiresGrad = true) {
    super(source.data, source.shape, requiresGrad);
  }
}
