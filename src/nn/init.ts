import { noGrad } from '../tensor/autograd.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Weight initialisations of torch.nn.init, drawing from arcgrad's seeded generator. Each fills a
 * tensor's storage in place (outside the graph) and returns the tensor.
 */

/** Fan-in and fan-out of a weight: dims 1 and 0 times the receptive field (torch.nn.init._calculate_fan_in_and_fan_out). */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    throw new Error(`init: fan in and fan out need a tensor with at least 2 dims, got shape ${formatShape(shape)}`);
  }
  let receptive = 1;
  for (let d = 2; d < shape.length; d++) receptive *= shape[d];
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

/** Options shared by the initialisers. */
export interface InitOptions {
  /** Generator to draw from; the seeded default generator when omitted. */
  generator?: Generator;
}

/** Fills `t` with uniform samples in [low, high). */
export function uniformInit(t: Tensor, low: number, high: number, options: InitOptions = {}): Tensor {
  if (!(low <= high) || !Number.isFinite(low) || !Number.isFinite(high)) {
    throw new Error(`uniformInit: expected finite low <= high, got low=${low}, high=${high}`);
  }
  const generator = options.generator ?? defaultGenerator;
  noGrad(() => {
    const data = t.data;
    for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * generator.uniform();
  });
  return t;
}

/** Options of {@link kaimingUniform}. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** Preserve the variance of the forward pass ('fanIn', default) or of the backward pass ('fanOut'). */
  mode?: 'fanIn' | 'fanOut';
}

/**
 * He et al. 2015 uniform initialisation for a leaky ReLU of slope `a`: U(-b, b) with
 * b = sqrt(3) * sqrt(2 / (1 + a^2)) / sqrt(fan). PyTorch's Conv2d and Linear use a = sqrt(5),
 * which gives b = 1 / sqrt(fanIn).
 */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const { a = 0, mode = 'fanIn' } = options;
  const fans = computeFans(t.shape);
  const fan = mode === 'fanIn' ? fans.fanIn : fans.fanOut;
  const gain = Math.sqrt(2 / (1 + a * a));
  const bound = Math.sqrt(3) * (gain / Math.sqrt(fan));
  return uniformInit(t, -bound, bound, options);
}

/** Options of {@link xavierUniform}. */
export interface XavierOptions extends InitOptions {
  /** Scaling factor (default 1). */
  gain?: number;
}

/** Glorot and Bengio 2010 uniform initialisation: U(-b, b) with b = gain * sqrt(6 / (fanIn + fanOut)). */
export function xavierUniform(t: Tensor, options: XavierOptions = {}): Tensor {
  const { fanIn, fanOut } = computeFans(t.shape);
  const bound = (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniformInit(t, -bound, bound, options);
}
