import type { Storage } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  assertHyperparameter,
  loadBuffer,
  Optimizer,
  type ParamsOrGroups,
  type SavedBuffer,
  type SavedParamGroup,
  saveBuffer,
} from './optimizer.js';

/** Hyperparameters of Adam (torch.optim.Adam's, camel-cased). */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient, not decoupled as in AdamW (default 0). */
  weightDecay?: number;
  /** Use the running maximum of the second moment (AMSGrad; default false). */
  amsgrad?: boolean;
}

/** Adam's saved state for one parameter (absent until the parameter's first step). */
export interface AdamParamState {
  step: number;
  expAvg: SavedBuffer;
  expAvgSq: SavedBuffer;
  /** Present when amsgrad is on. */
  maxExpAvgSq?: SavedBuffer;
}

/** Adam's plain-object state: hyperparameters, groups, and per-parameter state (null before its first step). */
export interface AdamStateDict {
  /** The first group's hyperparameters (all a dict written before parameter groups holds). */
  hyperparameters: Required<AdamOptions>;
  /** Every group's hyperparameters and parameter count; absent in dicts of one group written before groups. */
  paramGroups?: SavedParamGroup<Required<AdamOptions>>[];
  state: (AdamParamState | null)[];
}

interface AdamBuffers {
  step: number;
  expAvg: Storage;
  expAvgSq: Storage;
  maxExpAvgSq: Storage | null;
}

/** Throws as PyTorch does on invalid Adam hyperparameters (naming `owner`); returns them with defaults filled in. */
function validateAdamOptions(options: AdamOptions, owner = 'Adam'): Required<AdamOptions> {
  const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, amsgrad = false } = options;
  assertHyperparameter(owner, 'lr', lr, 0, Number.POSITIVE_INFINITY);
  if (!Array.isArray(betas) || betas.length !== 2) throw new Error(`${owner}: betas must be a pair of numbers`);
  // PyTorch allows beta = 0 but not 1 (the bias correction would divide by zero).
  assertHyperparameter(owner, 'betas[0]', betas[0], 0, 1 - Number.EPSILON / 2);
  assertHyperparameter(owner, 'betas[1]', betas[1], 0, 1 - Number.EPSILON / 2);
  assertHyperparameter(owner, 'eps', eps, 0, Number.POSITIVE_INFINITY);
  assertHyperparameter(owner, 'weightDecay', weightDecay, 0, Number.POSITIVE_INFINITY);
  if (typeof amsgrad !== 'boolean') throw new Error(`${owner}: amsgrad must be a boolean, got ${String(amsgrad)}`);
  return { lr, betas: [betas[0], betas[1]], eps, weightDecay, amsgrad };
}

function allocateLike(param: Tensor): Storage {
  return param.dtype === 'float64' ? new Float64Array(param.size) : new Float32Array(param.size);
}

/**
 * Adam (Kingma & Ba, 2015) with PyTorch 1.13's exact update (torch/optim/adam.py, _single_tensor_adam):
 * g += weightDecay * p; m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2;
 * p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps).
 */
export class Adam extends Optimizer<Required<AdamOptions>> {
  /** AdamW's rule: decay the parameter directly instead of adding weightDecay * p to the gradient. */
  protected readonly decoupledWeightDecay: boolean = false;
  private state: (AdamBuffers | null)[];

  /**
   * Creates the optimizer over `params`; validates hyperparameters as PyTorch does.
   * @param params leaf tensors to update (e.g. `model.parameters()`), each once, or parameter
   *   groups `{ params, ...overrides }` whose hyperparameters override `options`
   * @param options lr, betas, eps, weightDecay, amsgrad (PyTorch's defaults when omitted): every group's defaults
   * @example const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
   */
  constructor(params: ParamsOrGroups<Required<AdamOptions>>, options: AdamOptions = {}) {
    // new.target names the subclass (AdamW) in error messages.
    const owner = new.target.name;
    super(owner, params, validateAdamOptions(options, owner), validateAdamOptions);
    this.state = this.params.map(() => null);
  }

  /** One update of every parameter that has a gradient; parameters and moments change in place. */
  step(): void {
    this.forEachParam((param, index, { lr, betas, eps, weightDecay, amsgrad }) => {
      if (param.grad === null) return;
      const [beta1, beta2] = betas;
      const penalty = this.decoupledWeightDecay ? 0 : weightDecay;
      const decay = this.decoupledWeightDecay ? 1 - lr * weightDecay : 1;
      let state = this.state[index];
      if (state === null) {
        state = { step: 0, expAvg: allocateLike(param), expAvgSq: allocateLike(param), maxExpAvgSq: null };
        this.state[index] = state;
      }
      if (amsgrad && state.maxExpAvgSq === null) state.maxExpAvgSq = allocateLike(param);
      state.step += 1;
      const stepSize = lr / (1 - beta1 ** state.step);
      const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** state.step);
      const p = param.data;
      const g = param.grad.data;
      const { expAvg, expAvgSq, maxExpAvgSq } = state;
      for (let i = 0; i < p.length; i++) {
        if (decay !== 1) p[i] *= decay;
        const grad = penalty !== 0 ? g[i] + penalty * p[i] : g[i];
        expAvg[i] = beta1 * expAvg[i] + (1 - beta1) * grad;
        expAvgSq[i] = beta2 * expAvgSq[i] + (1 - beta2) * grad * grad;
        let second = expAvgSq[i];
        if (maxExpAvgSq !== null && amsgrad) {
          if (second > maxExpAvgSq[i]) maxExpAvgSq[i] = second;
          second = maxExpAvgSq[i];
        }
        p[i] -= (stepSize * expAvg[i]) / (Math.sqrt(second) / biasCorrection2Sqrt + eps);
      }
    });
  }

  /** Hyperparameters of every group and copies of every parameter's step count and moments (tensors). */
  stateDict(): AdamStateDict {
    const paramGroups = this.savedGroups().map((g) => ({ ...g, betas: [g.betas[0], g.betas[1]] as const }));
    const { paramCount: _, ...hyperparameters } = paramGroups[0];
    return {
      hyperparameters,
      paramGroups,
      state: this.state.map((s, i) => {
        if (s === null) return null;
        const param = this.params[i];
        const saved: AdamParamState = {
          step: s.step,
          expAvg: saveBuffer(s.expAvg, param),
          expAvgSq: saveBuffer(s.expAvgSq, param),
        };
        if (s.maxExpAvgSq !== null) saved.maxExpAvgSq = saveBuffer(s.maxExpAvgSq, param);
        return saved;
      }),
    };
  }

  /** Restores a `stateDict()` (moments as tensors or arrays); checks counts and sizes first. */
  loadStateDict(dict: AdamStateDict): void {
    this.checkParamCount(dict.state.length);
    const state = dict.state.map((s, i): AdamBuffers | null => {
      if (s === null) return null;
      const param = this.params[i];
      if (!Number.isInteger(s.step) || s.step < 1) {
        throw new Error(
          `${this.name}.loadStateDict: state[${i}].step must be a positive integer, got ${String(s.step)}`,
        );
      }
      return {
        step: s.step,
        expAvg: loadBuffer(this.name, `state[${i}].expAvg`, s.expAvg, param),
        expAvgSq: loadBuffer(this.name, `state[${i}].expAvgSq`, s.expAvgSq, param),
        maxExpAvgSq:
          s.maxExpAvgSq === undefined ? null : loadBuffer(this.name, `state[${i}].maxExpAvgSq`, s.maxExpAvgSq, param),
      };
    });
    this.assignGroups(this.checkedGroups(dict.paramGroups, dict.hyperparameters, validateAdamOptions));
    this.state = state;
  }
}
