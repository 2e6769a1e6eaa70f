import { prelu } from '../ops/index.js';
import { full } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/**
 * Parametric ReLU, max(0, x) + a * min(0, x), with one learned slope per channel (dim 1) or a
 * single shared slope (torch.nn.PReLU; init 0.25).
 */
export class PReLU extends Module {
  readonly weight: Parameter;

  /** Creates the layer with `numParameters` slopes (1, or the channel count), each `init`. */
  constructor(numParameters = 1, init = 0.25, options: { dtype?: DType } = {}) {
    super();
    if (!Number.isInteger(numParameters) || numParameters < 1) {
      throw new Error(`PReLU: numParameters must be a positive integer, got ${numParameters}`);
    }
    this.weight = this.registerParameter(
      'weight',
      new Parameter(full([numParameters], init, { dtype: options.dtype })),
    );
  }

  /** Applies the activation. */
  forward(x: Tensor): Tensor {
    return prelu(x, this.weight);
  }
}
