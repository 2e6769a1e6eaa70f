import type { Storage } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertHyperparameter, loadBuffer, Optimizer, type SavedBuffer, saveBuffer } from './optimizer.js';

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

/** SGD's plain-object state: hyperparameters plus one momentum buffer per parameter (null until the first step). */
export interface SGDStateDict {
  hyperparameters: Required<SGDOptions>;
  momentumBuffers: (SavedBuffer | null)[];
}

/** Throws as PyTorch does on invalid SGD hyperparameters; returns them unchanged. */
function validateSGDOptions(options: Required<SGDOptions>): Required<SGDOptions> {
  const { lr, momentum, dampening, nesterov, weightDecay } = options;
  assertHyperparameter('SGD', 'lr', lr, 0, Number.POSITIVE_INFINITY);
  assertHyperparameter('SGD', 'momentum', momentum, 0, Number.POSITIVE_INFINITY);
  assertHyperparameter('SGD', 'dampening', dampening, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  assertHyperparameter('SGD', 'weightDecay', weightDecay, 0, Number.POSITIVE_INFINITY);
  if (typeof nesterov !== 'boolean') throw new Error(`SGD: nesterov must be a boolean, got ${String(nesterov)}`);
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new Error(
      `SGD: nesterov needs momentum > 0 and dampening 0, got momentum ${momentum}, dampening ${dampening}`,
    );
  }
  return options;
}

/**
 * Stochastic gradient descent with PyTorch 1.13's exact update (torch/optim/sgd.py, _single_tensor_sgd):
 * d = g + weightDecay * p; b = d on the first step, else momentum * b + d;
 * d = nesterov ? d + momentum * b : b; p -= lr * d.
 */
export class SGD extends Optimizer {
  /** Momentum factor. */
  momentum: number;
  /** Dampening of the momentum's gradient term. */
  dampening: number;
  /** Whether the update uses Nesterov momentum. */
  nesterov: boolean;
  /** L2 penalty added to the gradient. */
  weightDecay: number;
  private momentumBuffers: (Storage | null)[];

  /**
   * Creates the optimizer over `params`; validates hyperparameters as PyTorch does.
   * @param params leaf tensors to update (e.g. `model.parameters()`), each once
   * @param options lr (required), momentum, dampening, nesterov, weightDecay
   * @example
   * const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, weightDecay: 5e-4 });
   * optimizer.zeroGrad(); loss.backward(); optimizer.step();
   */
  constructor(params: Iterable<Tensor>, options: SGDOptions) {
    super('SGD', params, options.lr);
    const { momentum = 0, dampening = 0, nesterov = false, weightDecay = 0 } = options;
    const checked = validateSGDOptions({ lr: options.lr, momentum, dampening, nesterov, weightDecay });
    this.momentum = checked.momentum;
    this.dampening = checked.dampening;
    this.nesterov = checked.nesterov;
    this.weightDecay = checked.weightDecay;
    this.momentumBuffers = this.params.map(() => null);
  }

  /** One update of every parameter that has a gradient; parameters and buffers change in place. */
  step(): void {
    const { lr, momentum, dampening, nesterov, weightDecay } = this;
    this.params.forEach((param, index) => {
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

  /** Hyperparameters and copies of the momentum buffers (tensors), enough to resume exactly. */
  stateDict(): SGDStateDict {
    return {
      hyperparameters: {
        lr: this.lr,
        momentum: this.momentum,
        dampening: this.dampening,
        nesterov: this.nesterov,
        weightDecay: this.weightDecay,
      },
      momentumBuffers: this.momentumBuffers.map((b, i) => (b === null ? null : saveBuffer(b, this.params[i]))),
    };
  }

  /** Restores a `stateDict()` (buffers as tensors or arrays); checks counts and sizes first. */
  loadStateDict(state: SGDStateDict): void {
    this.checkParamCount(state.momentumBuffers.length);
    const buffers = state.momentumBuffers.map((b, i) =>
      b === null ? null : loadBuffer('SGD', `momentumBuffers[${i}]`, b, this.params[i]),
    );
    const h = validateSGDOptions(state.hyperparameters);
    this.lr = h.lr;
    this.momentum = h.momentum;
    this.dampening = h.dampening;
    this.nesterov = h.nesterov;
    this.weightDecay = h.weightDecay;
    this.momentumBuffers = buffers;
  }
}
