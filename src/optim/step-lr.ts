import { assertHyperparameter } from './optimizer.js';

/** Anything whose learning rate a scheduler can set (every Optimizer). */
export interface HasLearningRate {
  lr: number;
}

/** Options of StepLR. */
export interface StepLROptions {
  /** Period of the decay, in calls to `step()` (epochs). */
  stepSize: number;
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/** StepLR's plain-object state. */
export interface StepLRStateDict {
  stepSize: number;
  gamma: number;
  baseLr: number;
  lastEpoch: number;
  lastLr: number;
}

function validateDecay(owner: string, stepSize: number, gamma: number): void {
  if (!Number.isInteger(stepSize) || stepSize < 1) {
    throw new Error(`${owner}: stepSize must be a positive integer, got ${String(stepSize)}`);
  }
  assertHyperparameter(owner, 'gamma', gamma, 0, Number.POSITIVE_INFINITY);
}

/**
 * Multiplies the optimizer's learning rate by gamma every `stepSize` epochs, like
 * torch.optim.lr_scheduler.StepLR: lr is multiplied (not recomputed from the base), so the values
 * equal PyTorch's bit for bit, and changes made to `lr` from outside persist.
 */
export class StepLR {
  /** Period of the decay in epochs. */
  stepSize: number;
  /** Multiplicative factor of the decay. */
  gamma: number;
  /** The learning rate when the scheduler was created. */
  baseLr: number;
  /** Number of `step()` calls so far (PyTorch's last_epoch). */
  lastEpoch = 0;
  private lastLr: number;

  /** Wraps `optimizer`; its current lr becomes the base learning rate. */
  constructor(
    private readonly optimizer: HasLearningRate,
    options: StepLROptions,
  ) {
    const { stepSize, gamma = 0.1 } = options;
    validateDecay('StepLR', stepSize, gamma);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.baseLr = optimizer.lr;
    this.lastLr = optimizer.lr;
  }

  /** Ends an epoch: advances the epoch counter and decays lr when it reaches a multiple of stepSize. */
  step(): void {
    this.lastEpoch += 1;
    if (this.lastEpoch % this.stepSize === 0) this.optimizer.lr *= this.gamma;
    this.lastLr = this.optimizer.lr;
  }

  /** The learning rate set by the last `step()` (or the initial one). */
  getLastLr(): number {
    return this.lastLr;
  }

  /** The scheduler's counters, JSON-serialisable. The optimizer's lr is saved by its own state dict. */
  stateDict(): StepLRStateDict {
    return {
      stepSize: this.stepSize,
      gamma: this.gamma,
      baseLr: this.baseLr,
      lastEpoch: this.lastEpoch,
      lastLr: this.lastLr,
    };
  }

  /** Restores everything saved by `stateDict()` (like PyTorch, stepSize and gamma included). */
  loadStateDict(state: StepLRStateDict): void {
    validateDecay('StepLR.loadStateDict', state.stepSize, state.gamma);
    if (!Number.isInteger(state.lastEpoch) || state.lastEpoch < 0) {
      throw new Error(`StepLR.loadStateDict: lastEpoch must be a non-negative integer, got ${String(state.lastEpoch)}`);
    }
    assertHyperparameter('StepLR.loadStateDict', 'baseLr', state.baseLr, 0, Number.POSITIVE_INFINITY);
    assertHyperparameter('StepLR.loadStateDict', 'lastLr', state.lastLr, 0, Number.POSITIVE_INFINITY);
    this.stepSize = state.stepSize;
    this.gamma = state.gamma;
    this.baseLr = state.baseLr;
    this.lastEpoch = state.lastEpoch;
    this.lastLr = state.lastLr;
  }
}
