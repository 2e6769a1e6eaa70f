import { assertHyperparameter } from './optimizer.js';
import type { HasLearningRate } from './step-lr.js';

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
export interface LinearLRStateDict {
  startFactor: number;
  endFactor: number;
  totalIters: number;
  baseLr: number;
  lastEpoch: number;
  lastLr: number;
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
 * baseLr * endFactor over totalIters steps, then stays. Like PyTorch, each step multiplies the
 * current lr by the ratio of consecutive factors, so the values equal PyTorch's.
 */
export class LinearLR {
  /** Factor of the base lr at epoch 0. */
  startFactor: number;
  /** Factor of the base lr from epoch totalIters on. */
  endFactor: number;
  /** Length of the ramp in epochs. */
  totalIters: number;
  /** The learning rate when the scheduler was created, before the start factor. */
  baseLr: number;
  /** Number of `step()` calls so far (PyTorch's last_epoch). */
  lastEpoch = 0;
  private lastLr: number;

  /** Wraps `optimizer` and sets its lr to lr * startFactor. */
  constructor(
    private readonly optimizer: HasLearningRate,
    options: LinearLROptions = {},
  ) {
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    validateLinear('LinearLR', startFactor, endFactor, totalIters);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.baseLr = optimizer.lr;
    optimizer.lr *= startFactor;
    this.lastLr = optimizer.lr;
  }

  /** Ends an epoch: advances the epoch counter and moves lr one step along the ramp. */
  step(): void {
    this.lastEpoch += 1;
    const { startFactor, endFactor, totalIters, lastEpoch } = this;
    if (lastEpoch <= totalIters) {
      const slope = endFactor - startFactor;
      this.optimizer.lr *= 1 + slope / (totalIters * startFactor + (lastEpoch - 1) * slope);
    }
    this.lastLr = this.optimizer.lr;
  }

  /** The learning rate set by the last `step()` (or by the constructor). */
  getLastLr(): number {
    return this.lastLr;
  }

  /** The scheduler's counters, JSON-serialisable. The optimizer's lr is saved by its own state dict. */
  stateDict(): LinearLRStateDict {
    const { startFactor, endFactor, totalIters, baseLr, lastEpoch, lastLr } = this;
    return { startFactor, endFactor, totalIters, baseLr, lastEpoch, lastLr };
  }

  /** Restores everything saved by `stateDict()`. */
  loadStateDict(state: LinearLRStateDict): void {
    validateLinear('LinearLR.loadStateDict', state.startFactor, state.endFactor, state.totalIters);
    if (!Number.isInteger(state.lastEpoch) || state.lastEpoch < 0) {
      throw new Error(
        `LinearLR.loadStateDict: lastEpoch must be a non-negative integer, got ${String(state.lastEpoch)}`,
      );
    }
    assertHyperparameter('LinearLR.loadStateDict', 'baseLr', state.baseLr, 0, Number.POSITIVE_INFINITY);
    assertHyperparameter('LinearLR.loadStateDict', 'lastLr', state.lastLr, 0, Number.POSITIVE_INFINITY);
    this.startFactor = state.startFactor;
    this.endFactor = state.endFactor;
    this.totalIters = state.totalIters;
    this.baseLr = state.baseLr;
    this.lastEpoch = state.lastEpoch;
    this.lastLr = state.lastLr;
  }
}
