import { layerNorm } from '../ops/index.js';
import { ones, zeros } from '../tensor/create.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of {@link LayerNorm}; defaults are PyTorch's. */
export interface LayerNormLayerOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Whether to learn a per-element weight (init 1) and bias (init 0) (default true). */
  elementwiseAffine?: boolean;
  /** Element type of the parameters (default float32). */
  dtype?: DType;
}

/**
 * Layer normalisation over the trailing dims `normalizedShape` (torch.nn.LayerNorm), with
 * parameters named weight and bias as in PyTorch's state dicts. Training and eval behave alike.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly eps: number;

  /**
   * Creates the layer.
   * @param normalizedShape the trailing dims to normalise over; a number is the last dim's size
   * @param options eps, elementwiseAffine and dtype (PyTorch's defaults)
   * @example const norm = new LayerNorm(64); norm.forward(randn([8, 10, 64])) // each row of 64: mean 0, variance 1
   */
  constructor(normalizedShape: number | readonly number[], options: LayerNormLayerOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new Error(`LayerNorm: normalizedShape must be positive integers, got [${shape.join(', ')}]`);
    }
    this.normalizedShape = Object.freeze(shape);
    this.eps = options.eps ?? 1e-5;
    const dtype = options.dtype ?? 'float32';
    const affine = options.elementwiseAffine ?? true;
    this.weight = this.registerParameter('weight', affine ? new Parameter(ones(shape, { dtype })) : null);
    this.bias = this.registerParameter('bias', affine ? new Parameter(zeros(shape, { dtype })) : null);
  }

  /**
   * Normalises x over its trailing dims.
   * @param x input whose trailing dims equal normalizedShape
   * @returns the normalised (and, with elementwiseAffine, scaled and shifted) input, shape unchanged
   */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }
}
