import { batchNorm } from '../ops/index.js';
import { ones, zeros } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of the BatchNorm layers; defaults are PyTorch's. */
export interface BatchNormLayerOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of each batch in the running statistics (default 0.1). */
  momentum?: number;
  /** Element type of the parameters and running statistics (default float32). */
  dtype?: DType;
}

/**
 * Batch normalisation over the channel dim with learned weight and bias and running statistics
 * (buffers running_mean, running_var, num_batches_tracked, as in PyTorch's state dicts).
 * Training normalises with batch statistics and updates the running ones; eval uses the running ones.
 */
abstract class BatchNorm extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  /** Count of training batches seen, a float64 scalar (int64 in PyTorch). */
  readonly numBatchesTracked: Tensor;
  readonly eps: number;
  readonly momentum: number;

  /**
   * Creates the layer.
   * @param numFeatures channels (dim 1 of the input)
   * @param options eps, momentum and dtype (PyTorch's defaults)
   * @example const bn = new BatchNorm2d(16); bn.eval(); // eval: normalise with the running statistics
   */
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1) {
      throw new Error(`${this.constructor.name}: numFeatures must be a positive integer, got ${numFeatures}`);
    }
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
    const dtype = options.dtype ?? 'float32';
    this.weight = this.registerParameter('weight', new Parameter(ones([numFeatures], { dtype })));
    this.bias = this.registerParameter('bias', new Parameter(zeros([numFeatures], { dtype })));
    this.runningMean = this.registerBuffer('running_mean', zeros([numFeatures], { dtype }));
    this.runningVar = this.registerBuffer('running_var', ones([numFeatures], { dtype }));
    this.numBatchesTracked = this.registerBuffer('num_batches_tracked', zeros([], { dtype: 'float64' }));
  }

  /** Input ranks the layer accepts. */
  protected abstract readonly ranks: readonly number[];

  /**
   * Normalises x per channel (batch statistics in training, running ones in eval).
   * @param x input of shape [N, C, ...] with C = numFeatures
   * @returns the normalised, scaled and shifted input, shape unchanged
   */
  forward(x: Tensor): Tensor {
    if (!this.ranks.includes(x.ndim)) {
      const expected = this.ranks.map((r) => `${r}-D`).join(' or ');
      throw new Error(`${this.constructor.name}: expected ${expected} input, got shape ${formatShape(x.shape)}`);
    }
    if (this.training) this.numBatchesTracked.data[0] += 1;
    return batchNorm(x, {
      weight: this.weight,
      bias: this.bias,
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      training: this.training,
      momentum: this.momentum,
      eps: this.eps,
    });
  }
}

/** Batch normalisation of [N, C, H, W] feature maps (torch.nn.BatchNorm2d). */
export class BatchNorm2d extends BatchNorm {
  protected readonly ranks = [4];
}

/** Batch normalisation of [N, C] features or [N, C, L] sequences (torch.nn.BatchNorm1d). */
export class BatchNorm1d extends BatchNorm {
  protected readonly ranks = [2, 3];
}
