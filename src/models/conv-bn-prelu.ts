import { Module, PReLU, Sequential } from '../nn/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { type ConvBlockOptions, ConvBn } from './conv-bn.js';

/** ConvBn followed by a per-channel PReLU; children `net.0` (ConvBn) and `net.1` (PReLU), as in the reference recipe. */
export class ConvBnPrelu extends Module {
  readonly net: Sequential;

  /** Creates the block mapping `inChannels` to `outChannels`. */
  constructor(inChannels: number, outChannels: number, options: ConvBlockOptions = {}) {
    super();
    this.net = this.registerModule(
      'net',
      new Sequential(
        new ConvBn(inChannels, outChannels, options),
        new PReLU(outChannels, 0.25, { dtype: options.dtype }),
      ),
    );
  }

  /** Applies conv, bn, prelu. */
  forward(x: Tensor): Tensor {
    return this.net.forward(x);
  }
}
