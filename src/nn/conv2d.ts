import { pairOf } from '../ops/conv2d.js';
import { conv2d, type Size2d } from '../ops/index.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty } from './empty.js';
import { kaimingUniform, uniformInit } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of {@link Conv2d}; defaults are torch.nn.Conv2d's. */
export interface Conv2dLayerOptions {
  stride?: Size2d;
  padding?: Size2d;
  /** Channel groups (in and out channels must both divide by it); groups = channels is depthwise. */
  groups?: number;
  /** Learn a per-channel bias (default true). */
  bias?: boolean;
  /** Element type of the parameters (default float32). */
  dtype?: DType;
}

/**
 * 2-D convolution layer over NCHW input with weight [out, in / groups, kh, kw] and optional bias,
 * initialised like torch.nn.Conv2d: kaiming-uniform with a = sqrt(5) and bias U(+-1/sqrt(fanIn)).
 */
export class Conv2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly stride: Size2d;
  readonly padding: Size2d;
  readonly groups: number;

  /**
   * Creates the layer.
   * @param inChannels channels of the input (dim 1)
   * @param outChannels channels of the output, one filter each
   * @param kernelSize a side or [height, width]
   * @param options stride, padding, groups, bias and dtype (torch.nn.Conv2d's defaults)
   * @example const conv = new Conv2d(3, 16, 3, { padding: 1 }); conv.forward(randn([8, 3, 32, 32])) // [8, 16, 32, 32]
   */
  constructor(inChannels: number, outChannels: number, kernelSize: Size2d, options: Conv2dLayerOptions = {}) {
    super();
    const { stride = 1, padding = 0, groups = 1, bias = true, dtype = 'float32' } = options;
    for (const [argument, value] of [
      ['inChannels', inChannels],
      ['outChannels', outChannels],
      ['groups', groups],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new Error(`Conv2d: ${argument} must be a positive integer, got ${value}`);
    }
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new Error(`Conv2d: groups=${groups} must divide inChannels=${inChannels} and outChannels=${outChannels}`);
    }
    const [kernelHeight, kernelWidth] = pairOf('kernelSize', kernelSize, 1, 'Conv2d');
    this.stride = stride;
    this.padding = padding;
    this.groups = groups;
    this.weight = this.registerParameter(
      'weight',
      new Parameter(
        kaimingUniform(empty('Conv2d', [outChannels, inChannels / groups, kernelHeight, kernelWidth], dtype), {
          a: Math.sqrt(5),
        }),
      ),
    );
    const bound = 1 / Math.sqrt((inChannels / groups) * kernelHeight * kernelWidth);
    this.bias = this.registerParameter(
      'bias',
      bias ? new Parameter(uniformInit(empty('Conv2d', [outChannels], dtype), -bound, bound)) : null,
    );
  }

  /**
   * Convolves x.
   * @param x input of shape [N, inChannels, H, W]
   * @returns output of shape [N, outChannels, outH, outW]
   */
  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, {
      bias: this.bias ?? undefined,
      stride: this.stride,
      padding: this.padding,
      groups: this.groups,
    });
  }
}
