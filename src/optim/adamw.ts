import { Adam, type AdamOptions } from './adam.js';
import type { ParamsOrGroups } from './optimizer.js';

/** Hyperparameters of AdamW (torch.optim.AdamW's, camel-cased); weightDecay defaults to 0.01. */
export type AdamWOptions = AdamOptions;

/**
 * AdamW (Loshchilov & Hutter, 2019) with PyTorch 1.13's update (torch/optim/adamw.py,
 * _single_tensor_adamw): p *= 1 - lr * weightDecay, then Adam's step on the raw gradient. The decay
 * is decoupled from the moments, so large-gradient weights are not decayed less, as they are
 * with Adam's L2 penalty. Defaults are PyTorch's: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0.01.
 */
export class AdamW extends Adam {
  protected override readonly decoupledWeightDecay = true;

  /**
   * Creates the optimizer over `params`; validates hyperparameters as PyTorch does.
   * @param params leaf tensors to update, each once, or parameter groups `{ params, ...overrides }`
   * @param options as Adam's; weightDecay defaults to 0.01
   * @example const optimizer = new AdamW(model.parameters(), { lr: 3e-3, weightDecay: 0.05 });
   */
  constructor(params: ParamsOrGroups<Required<AdamWOptions>>, options: AdamWOptions = {}) {
    super(params, { ...options, weightDecay: options.weightDecay ?? 0.01 });
  }
}
