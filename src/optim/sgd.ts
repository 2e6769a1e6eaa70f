import type { Storage } from '../tensor/dtype.js';
import {
  assertHyperparameter,
  loadBuffer,
  Optimizer,
  type ParamsOrGroups,
  type SavedBuffer,
  type SavedParamGroup,
  saveBuffer,
} from './optimizer.js';

/** Hyperparameters of SGD (torch.optim.SGD's, camel-cased). */
export interface SGDOptions {
  /** Learning rate (required, as in PyTorch). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Dampening of the momentum's gradient term (default 0). */
  dampening?: number;
  /** Nesterov momentum; needs momentum > 0 and dampening 0 (default false). */
  nesterov?: boolean;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
}

/** SGD's plain-object state: hyperparameters, groups, and one momentum buffer per parameter (null until its first step). */
export interface SGDStateDict {
  /** The first group's hyperparameters (all a dict written before parameter groups holds). */
  hyperparameters: Required<SGDOptions>;
  /** Every group's hyperparameters and parameter count; absent in dicts of one group written before groups. */
  paramGroups?: SavedParamGroup<Required<SGDOptions>>[];
  momentumBuffers: (SavedBuffer | null)[];
}

/** Throws as PyTorch does on invalid SGD hyperparameters (naming `owner`); returns them unchanged. */
function validateSGDOptions(options: Required<SGDOptions>, owner = 'SGD'): Required<SGDOptions> {
  const { lr, momentum, dampening, nesterov, weightDecay } = options;
  assertHyperparameter(owner, 'lr', lr, 0, Number.POSITIVE_INFINITY);
  assertHyperparameter(owner, 'momentum', momentum, 0, Number.POSITIVE_INFINITY);
  assertHyperparameter(owner, 'dampening', dampening, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  assertHyperparameter(owner, 'weightDecay', weightDecay, 0, Number.POSITIVE_INFINITY);
  if (typeof nesterov !== 'boolean') throw new Error(`${owner}: nesterov must be a boolean, got ${String(nesterov)}`);
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new Error(
      `${owner}: nesterov needs momentum > 0 and dampening 0, got momentum ${momentum}, dampening ${dampening}`,
    );
  }
  return { lr, momentum, dampening, nesterov, weightDecay };
}

/**
 * Stochastic gradient descent with PyTorch 1.13's exact update (torch/optim/sgd.py, _single_tensor_sgd):
 * d = g + weightDecay * p; b = d on the first step, else momentum * b + d;
 * d = nesterov ? d + momentum * b : b; p -= lr * d. Each parameter group uses its own hyperparameters.
 */
export class SGD extends Optimizer<Required<SGDOptions>> {
  private momentumBuffers: (Storage | null)[];

  /**
   * Creates the optimizer over `params`; validates hyperparameters as PyTorch does.
   * @param params leaf tensors to update (e.g. `model.parameters()`), each once, or parameter
   *   groups `{ params, ...overrides }` whose hyperparameters override `options`
   * @param options lr (required), momentum, dampening, nesterov, weightDecay: every group's defaults
   * @example
   * const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, weightDecay: 5e-4 });
   * optimizer.zeroGrad(); loss.backward(); optimizer.step();
   * // Parameter groups: no weight decay on the head's weights.
   * new SGD([{ params: model.parameters() }, { params: head.parameters(), weightDecay: 0 }], { lr: 0.1, weightDecay: 5e-4 });
   */
  constructor(params: ParamsOrGroups<Required<SGDOptions>>, options: SGDOptions) {
    const { lr, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0 } = options;
    const defaults = validateSGDOptions({ lr, momentum, dampening, nesterov, weightDecay });
    super('SGD', params, defaults, validateSGDOptions);
    this.momentumBuffers = this.params.map(() => null);
  }

  /** One update of every parameter that has a gradient; parameters and buffers change in place. */
  step(): void {
    this.forEachParam((param, index, { lr, momentum, dampening, nesterov, weightDecay }) => {
      if (param.grad === null) return;
      const p = param.data;
      const g = param.grad.data;
      let buffer = this.momentumBuffers[index];
      const firstStep = buffer === null;
      if (momentum !== 0 && buffer === null) {
        buffer = param.dtype === 'float64' ? new Float64Array(p.length) : new Float32Array(p.length);
        this.momentumBuffers[index] = buffer;
      }
      for (let i = 0; i < p.length; i++) {
        let d = weightDecay !== 0 ? g[i] + weightDecay * p[i] : g[i];
        if (buffer !== null) {
          // Stored in the parameter's dtype: float32 buffers round where PyTorch's do.
          buffer[i] = firstStep ? d : momentum * buffer[i] + (1 - dampening) * d;
          d = nesterov ? d + momentum * buffer[i] : buffer[i];
        }
        p[i] -= lr * d;
      }
    });
  }

  /** Hyperparameters of every group and copies of the momentum buffers (tensors), enough to resume exactly. */
  stateDict(): SGDStateDict {
    const paramGroups = this.savedGroups();
    const { paramCount: _, ...hyperparameters } = paramGroups[0];
    return {
      hyperparameters,
      paramGroups,
      momentumBuffers: this.momentumBuffers.map((b, i) => (b === null ? null : saveBuffer(b, this.params[i]))),
    };
  }

  /** Restores a `stateDict()` (buffers as tensors or arrays); checks counts and sizes first. */
  loadStateDict(state: SGDStateDict): void {
    this.checkParamCount(state.momentumBuffers.length);
    const buffers = state.momentumBuffers.map((b, i) =>
      b === null ? null : loadBuffer('SGD', `momentumBuffers[${i}]`, b, this.params[i]),
    );
    this.assignGroups(this.checkedGroups(state.paramGroups, state.hyperparameters, validateSGDOptions));
    this.momentumBuffers = buffers;
  }
}
