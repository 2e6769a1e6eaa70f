import { assertHyperparameter } from './optimizer.js';
import { type HasLearningRate, loadScheduledLrs, type ScheduledLrsState, scheduledGroups } from './scheduled-lrs.js';

/** Options of CosineAnnealingLR. */
export interface CosineAnnealingLROptions {
  /** Epochs from the base learning rate down to etaMin (half a cosine period). */
  tMax: number;
  /** Smallest learning rate (default 0). */
  etaMin?: number;
}

/** CosineAnnealingLR's plain-object state. */
export interface CosineAnnealingLRStateDict extends ScheduledLrsState {
  tMax: number;
  etaMin: number;
  lastEpoch: number;
}

function validateCosine(owner: string, tMax: number, etaMin: number): void {
  if (!Number.isInteger(tMax) || tMax < 1)
    throw new Error(`${owner}: tMax must be a positive integer, got ${String(tMax)}`);
  assertHyperparameter(owner, 'etaMin', etaMin, 0, Number.POSITIVE_INFINITY);
}

/**
 * Cosine annealing (Loshchilov & Hutter, SGDR 2017) as torch.optim.lr_scheduler.CosineAnnealingLR:
 * lr_t = etaMin + (baseLr - etaMin) (1 + cos(pi t / tMax)) / 2, reaching etaMin at t = tMax and
 * rising again after it (no restarts), for every parameter group from its own base lr. Like PyTorch, each step rescales the current lr by the
 * ratio of consecutive cosine terms rather than recomputing from the base, so the values equal
 * PyTorch's and changes made to `lr` from outside persist.
 */
export class CosineAnnealingLR {
  /** Epochs of half a cosine period. */
  tMax: number;
  /** Smallest learning rate. */
  etaMin: number;
  /** Every group's learning rate when the scheduler was created (PyTorch's base_lrs). */
  baseLrs: number[];
  /** Number of `step()` calls so far (PyTorch's last_epoch). */
  lastEpoch = 0;
  private lastLrs: number[];
  private readonly groups: readonly { lr: number }[];

  /**
   * Wraps `optimizer`; each group's current lr becomes its base learning rate.
   * @param optimizer an Optimizer (every parameter group is scheduled) or any `{ lr }`
   * @param options tMax (required) and etaMin
   * @example const scheduler = new CosineAnnealingLR(optimizer, { tMax: epochs }); // after each epoch: scheduler.step()
   */
  constructor(optimizer: HasLearningRate, options: CosineAnnealingLROptions) {
    const { tMax, etaMin = 0 } = options;
    validateCosine('CosineAnnealingLR', tMax, etaMin);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.groups = scheduledGroups(optimizer);
    this.baseLrs = this.groups.map((g) => g.lr);
    this.lastLrs = [...this.baseLrs];
  }

  /** Ends an epoch: advances the epoch counter and sets every group's next learning rate. */
  step(): void {
    this.lastEpoch += 1;
    const { tMax, etaMin, lastEpoch: t } = this;
    this.groups.forEach((group, i) => {
      const baseLr = this.baseLrs[i];
      if ((t - 1 - tMax) % (2 * tMax) === 0) {
        // At the trough the ratio below would divide by 1 + cos(pi) = 0; PyTorch adds the step instead.
        group.lr += ((baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2;
      } else {
        const ratio = (1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax));
        group.lr = ratio * (group.lr - etaMin) + etaMin;
      }
    });
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
  stateDict(): CosineAnnealingLRStateDict {
    const { tMax, etaMin, lastEpoch, baseLrs, lastLrs } = this;
    return {
      tMax,
      etaMin,
      baseLr: baseLrs[0],
      lastEpoch,
      lastLr: lastLrs[0],
      baseLrs: [...baseLrs],
      lastLrs: [...lastLrs],
    };
  }

  /** Restores everything saved by `stateDict()`. */
  loadStateDict(state: CosineAnnealingLRStateDict): void {
    validateCosine('CosineAnnealingLR.loadStateDict', state.tMax, state.etaMin);
    if (!Number.isInteger(state.lastEpoch) || state.lastEpoch < 0) {
      throw new Error(
        `CosineAnnealingLR.loadStateDict: lastEpoch must be a non-negative integer, got ${String(state.lastEpoch)}`,
      );
    }
    const { baseLrs, lastLrs } = loadScheduledLrs('CosineAnnealingLR.loadStateDict', state, this.groups.length);
    this.tMax = state.tMax;
    this.etaMin = state.etaMin;
    this.baseLrs = baseLrs;
    this.lastEpoch = state.lastEpoch;
    this.lastLrs = lastLrs;
  }
}
