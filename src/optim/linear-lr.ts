import { assertHyperparameter } from './optimizer.js';
import { type HasLearningRate, loadScheduledLrs, type ScheduledLrsState, scheduledGroups } from './scheduled-lrs.js';

/** Options of LinearLR; defaults are PyTorch's. */
export interface LinearLROptions {
  /** Factor of the base lr at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** Factor of the base lr from epoch totalIters on, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs over which the factor moves linearly from start to end (default 5). */
  totalIters?: number;
}

/** LinearLR's plain-object state. */
export interface LinearLRStateDict extends ScheduledLrsState {
  startFactor: number;
  endFactor: number;
  totalIters: number;
  lastEpoch: number;
}

function validateLinear(owner: string, startFactor: number, endFactor: number, totalIters: number): void {
  // PyTorch's bounds: a start factor of 0 would make the multiplicative update divide by zero.
  if (typeof startFactor !== 'number' || !(startFactor > 0 && startFactor <= 1)) {
    throw new Error(`${owner}: startFactor must be a number in (0, 1], got ${String(startFactor)}`);
  }
  assertHyperparameter(owner, 'endFactor', endFactor, 0, 1);
  if (!Number.isInteger(totalIters) || totalIters < 1) {
    throw new Error(`${owner}: totalIters must be a positive integer, got ${String(totalIters)}`);
  }
}

/**
 * Linear warm-up (or decay) as torch.optim.lr_scheduler.LinearLR: the lr is baseLr * startFactor
 * from construction (PyTorch's scheduler applies epoch 0 at once), moves linearly to
 * baseLr * endFactor over totalIters steps, then stays; every parameter group ramps from its own
 * base lr. Like PyTorch, each step multiplies the
 * current lr by the ratio of consecutive factors, so the values equal PyTorch's.
 */
export class LinearLR {
  /** Factor of the base lr at epoch 0. */
  startFactor: number;
  /** Factor of the base lr from epoch totalIters on. */
  endFactor: number;
  /** Length of the ramp in epochs. */
  totalIters: number;
  /** Every group's learning rate when the scheduler was created, before the start factor (PyTorch's base_lrs). */
  baseLrs: number[];
  /** Number of `step()` calls so far (PyTorch's last_epoch). */
  lastEpoch = 0;
  private lastLrs: number[];
  private readonly groups: readonly { lr: number }[];

  /**
   * Wraps `optimizer` and multiplies every group's lr by startFactor.
   * @param optimizer an Optimizer (every parameter group is scheduled) or any `{ lr }`
   * @param options startFactor, endFactor, totalIters (PyTorch's defaults when omitted)
   * @example const warmup = new LinearLR(optimizer, { startFactor: 0.1, totalIters: 5 }); // after each epoch: warmup.step()
   */
  constructor(optimizer: HasLearningRate, options: LinearLROptions = {}) {
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    validateLinear('LinearLR', startFactor, endFactor, totalIters);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.groups = scheduledGroups(optimizer);
    this.baseLrs = this.groups.map((g) => g.lr);
    for (const group of this.groups) group.lr *= startFactor;
    this.lastLrs = this.groups.map((g) => g.lr);
  }

  /** Ends an epoch: advances the epoch counter and moves every lr one step along the ramp. */
  step(): void {
    this.lastEpoch += 1;
    const { startFactor, endFactor, totalIters, lastEpoch } = this;
    if (lastEpoch <= totalIters) {
      const slope = endFactor - startFactor;
      const factor = 1 + slope / (totalIters * startFactor + (lastEpoch - 1) * slope);
      for (const group of this.groups) group.lr *= factor;
    }
    this.lastLrs = this.groups.map((g) => g.lr);
  }

  /** The first group's learning rate set by the last `step()` (or by the constructor). */
  getLastLr(): number {
    return this.lastLrs[0];
  }

  /** Every group's learning rate set by the last `step()` (PyTorch's get_last_lr()). */
  getLastLrs(): number[] {
    return [...this.lastLrs];
  }

  /** The scheduler's counters, JSON-serialisable. The optimizer's lr is saved by its own state dict. */
  stateDict(): LinearLRStateDict {
    const { startFactor, endFactor, totalIters, lastEpoch, baseLrs, lastLrs } = this;
    return {
      startFactor,
      endFactor,
      totalIters,
      baseLr: baseLrs[0],
      lastEpoch,
      lastLr: lastLrs[0],
      baseLrs: [...baseLrs],
      lastLrs: [...lastLrs],
    };
  }

  /** Restores everything saved by `stateDict()`. */
  loadStateDict(state: LinearLRStateDict): void {
    validateLinear('LinearLR.loadStateDict', state.startFactor, state.endFactor, state.totalIters);
    if (!Number.isInteger(state.lastEpoch) || state.lastEpoch < 0) {
      throw new Error(
        `LinearLR.loadStateDict: lastEpoch must be a non-negative integer, got ${String(state.lastEpoch)}`,
      );
    }
    const { baseLrs, lastLrs } = loadScheduledLrs('LinearLR.loadStateDict', state, this.groups.length);
    this.startFactor = state.startFactor;
    this.endFactor = state.endFactor;
    this.totalIters = state.totalIters;
    this.baseLrs = baseLrs;
    this.lastEpoch = state.lastEpoch;
    this.lastLrs = lastLrs;
  }
}
