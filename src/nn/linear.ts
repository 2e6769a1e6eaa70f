import { linear } from '../ops/index.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty } from './empty.js';
import { kaimingUniform, uniformInit } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Learn a bias (default true). */
  bias?: boolean;
  /** Element type of the parameters (default float32). */
  dtype?: DType;
}

/**
 * Affine layer y = x W^T + b with weight [outFeatures, inFeatures], initialised like
 * torch.nn.Linear: kaiming-uniform with a = sqrt(5) and bias U(+-1/sqrt(inFeatures)).
 */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  /**
   * Creates the layer.
   * @param inFeatures size of each input's last dim
   * @param outFeatures size of each output's last dim
   * @param options bias (default true) and dtype
   * @example const fc = new Linear(128, 10); fc.forward(randn([32, 128])) // shape [32, 10]
   */
  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    for (const [argument, value] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new Error(`Linear: ${argument} must be a positive integer, got ${value}`);
    }
    this.weight = this.registerParameter(
      'weight',
      new Parameter(kaimingUniform(empty('Linear', [outFeatures, inFeatures], options.dtype), { a: Math.sqrt(5) })),
    );
    const bound = 1 / Math.sqrt(inFeatures);
    this.bias = this.registerParameter(
      'bias',
      (options.bias ?? true)
        ? new Parameter(uniformInit(empty('Linear', [outFeatures], options.dtype), -bound, bound))
        : null,
    );
  }

  /**
   * Maps x of shape [..., inFeatures] to [..., outFeatures].
   * @param x input whose last dim is inFeatures
   * @returns x W^T + b
   */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias ?? undefined);
  }
}
