import { assertHyperparameter } from './optimizer.js';
import type { HasLearningRate } from './step-lr.js';

/** Options of CosineAnnealingLR. */
export interface CosineAnnealingLROptions {
  /** Epochs from the base learning rate down to etaMin (half a cosine period). */
  tMax: number;
  /** Smallest learning rate (default 0). */
  etaMin?: number;
}

/** CosineAnnealingLR's plain-object state. */
export interface CosineAnnealingLRStateDict {
  tMax: number;
  etaMin: number;
  baseLr: number;
  lastEpoch: number;
  lastLr: number;
}

function validateCosine(owner: string, tMax: number, etaMin: number): void {
  if (!Number.isInteger(tMax) || tMax < 1)
    throw new Error(`${owner}: tMax must be a positive integer, got ${String(tMax)}`);
  assertHyperparameter(owner, 'etaMin', etaMin, 0, Number.POSITIVE_INFINITY);
}

/**
 * Cosine annealing (Loshchilov & Hutter, SGDR 2017) as torch.optim.lr_scheduler.CosineAnnealingLR:
 * lr_t = etaMin + (baseLr - etaMin) (1 + cos(pi t / tMax)) / 2, reaching etaMin at t = tMax and
 * rising again after it (no restarts). Like PyTorch, each step rescales the current lr by the
 * ratio of consecutive cosine terms rather than recomputing from the base, so the values equal
 * PyTorch's and changes made to `lr` from outside persist.
 */
export class CosineAnnealingLR {
  /** Epochs of half a cosine period. */
  tMax: number;
  /** Smallest learning rate. */
  etaMin: number;
  /** The learning rate when the scheduler was created. */
  baseLr: number;
  /** Number of `step()` calls so far (PyTorch's last_epoch). */
  lastEpoch = 0;
  private lastLr: number;

  /** Wraps `optimizer`; its current lr becomes the base learning rate. */
  constructor(
    private readonly optimizer: HasLearningRate,
    options: CosineAnnealingLROptions,
  ) {
    const { tMax, etaMin = 0 } = options;
    validateCosine('CosineAnnealingLR', tMax, etaMin);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.baseLr = optimizer.lr;
    this.lastLr = optimizer.lr;
  }

  /** Ends an epoch: advances the epoch counter and sets the next learning rate. */
  step(): void {
    this.lastEpoch += 1;
    const { tMax, etaMin, baseLr, lastEpoch: t } = this;
    const lr = this.optimizer.lr;
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      // At the trough the ratio below would divide by 1 + cos(pi) = 0; PyTorch adds the step instead.
      this.optimizer.lr = lr + ((baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2;
    } else {
      const ratio = (1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax));
      this.optimizer.lr = ratio * (lr - etaMin) + etaMin;
    }
    this.lastLr = this.optimizer.lr;
  }

  /** The learning rate set by the last `step()` (or the initial one). */
  getLastLr(): number {
    return this.lastLr;
  }

  /** The scheduler's counters, JSON-serialisable. The optimizer's lr is saved by its own state dict. */
  stateDict(): CosineAnnealingLRStateDict {
    const { tMax, etaMin, baseLr, lastEpoch, lastLr } = this;
    return { tMax, etaMin, baseLr, lastEpoch, lastLr };
  }

  /** Restores everything saved by `stateDict()`. */
  loadStateDict(state: CosineAnnealingLRStateDict): void {
    validateCosine('CosineAnnealingLR.loadStateDict', state.tMax, state.etaMin);
    if (!Number.isInteger(state.lastEpoch) || state.lastEpoch < 0) {
      throw new Error(
        `CosineAnnealingLR.loadStateDict: lastEpoch must be a non-negative integer, got ${String(state.lastEpoch)}`,
      );
    }
    assertHyperparameter('CosineAnnealingLR.loadStateDict', 'baseLr', state.baseLr, 0, Number.POSITIVE_INFINITY);
    assertHyperparameter('CosineAnnealingLR.loadStateDict', 'lastLr', state.lastLr, 0, Number.POSITIVE_INFINITY);
    this.tMax = state.tMax;
    this.etaMin = state.etaMin;
    this.baseLr = state.baseLr;
    this.lastEpoch = state.lastEpoch;
    this.lastLr = state.lastLr;
  }
}
