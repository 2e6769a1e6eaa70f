import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** A chain of modules applied in order, registered as children '0', '1', ... (torch.nn.Sequential). */
export class Sequential extends Module {
  private readonly layers: Module[];

  /**
   * Creates the chain.
   * @param layers modules applied in order, each taking the previous one's output
   * @example const mlp = new Sequential(new Linear(4, 16), new PReLU(), new Linear(16, 3));
   */
  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
    for (const [i, layer] of layers.entries()) this.registerModule(String(i), layer);
  }

  /** Number of layers. */
  get length(): number {
    return this.layers.length;
  }

  /** The layer at `index`. */
  at(index: number): Module {
    const layer = this.layers[index];
    if (layer === undefined)
      throw new Error(`Sequential: index ${index} is out of range for ${this.layers.length} layers`);
    return layer;
  }

  /**
   * Feeds x through every layer.
   * @param x input of the first layer
   * @returns output of the last layer
   */
  forward(x: Tensor): Tensor {
    let out = x;
    for (const layer of this.layers) out = layer.forward(out);
    return out;
  }
}
