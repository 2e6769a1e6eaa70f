import { assertHyperparameter } from './optimizer.js';
import { type HasLearningRate, loadScheduledLrs, type ScheduledLrsState, scheduledGroups } from './scheduled-lrs.js';

/** Options of StepLR. */
export interface StepLROptions {
  /** Period of the decay, in calls to `step()` (epochs). */
  stepSize: number;
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/** StepLR's plain-object state. */
export interface StepLRStateDict extends ScheduledLrsState {
  stepSize: number;
  gamma: number;
  lastEpoch: number;
}

function validateDecay(owner: string, stepSize: number, gamma: number): void {
  if (!Number.isInteger(stepSize) || stepSize < 1) {
    throw new Error(`${owner}: stepSize must be a positive integer, got ${String(stepSize)}`);
  }
  assertHyperparameter(owner, 'gamma', gamma, 0, Number.POSITIVE_INFINITY);
}

/**
 * Multiplies every parameter group's learning rate by gamma every `stepSize` epochs, like
 * torch.optim.lr_scheduler.StepLR: lr is multiplied (not recomputed from the base), so the values
 * equal PyTorch's bit for bit, and changes made to `lr` from outside persist.
 */
export class StepLR {
  /** Period of the decay in epochs. */
  stepSize: number;
  /** Multiplicative factor of the decay. */
  gamma: number;
  /** Every group's learning rate when the scheduler was created (PyTorch's base_lrs). */
  baseLrs: number[];
  /** Number of `step()` calls so far (PyTorch's last_epoch). */
  lastEpoch = 0;
  private lastLrs: number[];
  private readonly groups: readonly { lr: number }[];

  /**
   * Wraps `optimizer`; each group's current lr becomes its base learning rate.
   * @param optimizer an Optimizer (every parameter group is scheduled) or any `{ lr }`
   * @param options stepSize (required) and gamma
   * @example const scheduler = new StepLR(optimizer, { stepSize: 10, gamma: 0.1 }); // after each epoch: scheduler.step()
   */
  constructor(optimizer: HasLearningRate, options: StepLROptions) {
    const { stepSize, gamma = 0.1 } = options;
    validateDecay('StepLR', stepSize, gamma);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.groups = scheduledGroups(optimizer);
    this.baseLrs = this.groups.map((g) => g.lr);
    this.lastLrs = [...this.baseLrs];
  }

  /** Ends an epoch: advances the epoch counter and decays every lr when it reaches a multiple of stepSize. */
  step(): void {
    this.lastEpoch += 1;
    if (this.lastEpoch % this.stepSize === 0) for (const group of this.groups) group.lr *= this.gamma;
    this.lastLrs = this.groups.map((g) => g.lr);
  }

  /** The first group's learning rate set by the last `step()` (or the initial one). */
  getLastLr(): number {
    return this.lastLrs[0];
  }

  /** Every group's learning rate set by the last `step()` (PyTorch's get_last_lr()). */
  getLastLrs(): number[] {
    return [...this.lastLrs];
  }

  /** The scheduler's counters, JSON-serialisable. The optimizer's lr is saved by its own state dict. */
  stateDict(): StepLRStateDict {
    return {
      stepSize: this.stepSize,
      gamma: this.gamma,
      baseLr: this.baseLrs[0],
      lastEpoch: this.lastEpoch,
      lastLr: this.lastLrs[0],
      baseLrs: [...this.baseLrs],
      lastLrs: [...this.lastLrs],
    };
  }

  /** Restores everything saved by `stateDict()` (like PyTorch, stepSize and gamma included). */
  loadStateDict(state: StepLRStateDict): void {
    validateDecay('StepLR.loadStateDict', state.stepSize, state.gamma);
    if (!Number.isInteger(state.lastEpoch) || state.lastEpoch < 0) {
      throw new Error(`StepLR.loadStateDict: lastEpoch must be a non-negative integer, got ${String(state.lastEpoch)}`);
    }
    const { baseLrs, lastLrs } = loadScheduledLrs('StepLR.loadStateDict', state, this.groups.length);
    this.stepSize = state.stepSize;
    this.gamma = state.gamma;
    this.baseLrs = baseLrs;
    this.lastEpoch = state.lastEpoch;
    this.lastLrs = lastLrs;
  }
}
