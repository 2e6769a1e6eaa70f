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

  /**
   * Creates the layer.
   * @param numParameters number of slopes: 1 (shared) or the channel count
   * @param init initial slope for negative inputs (default 0.25)
   * @param options dtype of the slopes
   * @example const act = new PReLU(64); // one slope per channel of [N, 64, H, W] maps
   */
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

  /**
   * Applies the activation.
   * @param x input; with several slopes its dim 1 has numParameters entries
   * @returns max(0, x) + a min(0, x), shape unchanged
   */
  forward(x: Tensor): Tensor {
    return prelu(x, this.weight);
  }
}
