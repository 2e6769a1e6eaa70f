import { assertHyperparameter } from './optimizer.js';

/** Anything whose learning rate a scheduler can set: an Optimizer (each of its parameter groups) or a plain `{ lr }`. */
export type HasLearningRate = { lr: number } | { readonly paramGroups: readonly { lr: number }[] };

/** The learning rates a scheduler drives: every parameter group's, as PyTorch's schedulers do, or the object's own. */
export function scheduledGroups(target: HasLearningRate): readonly { lr: number }[] {
  return 'paramGroups' in target ? target.paramGroups : [target];
}

/** The per-group learning rates in a scheduler's state dict (`baseLr` and `lastLr` are the first group's). */
export interface ScheduledLrsState {
  baseLr: number;
  lastLr: number;
  /** Every group's base lr; absent in dicts of one group written before parameter groups. */
  baseLrs?: number[];
  /** Every group's last lr; absent with `baseLrs`. */
  lastLrs?: number[];
}

/** Checks a state dict's per-group learning rates against `groupCount` groups; returns copies. */
export function loadScheduledLrs(
  owner: string,
  state: ScheduledLrsState,
  groupCount: number,
): { baseLrs: number[]; lastLrs: number[] } {
  const baseLrs = state.baseLrs ?? [state.baseLr];
  const lastLrs = state.lastLrs ?? [state.lastLr];
  for (const [name, list] of [
    ['baseLrs', baseLrs],
    ['lastLrs', lastLrs],
  ] as const) {
    if (!Array.isArray(list) || list.length !== groupCount) {
      throw new Error(
        `${owner}: ${name} holds ${Array.isArray(list) ? list.length : 'no'} learning rates but the optimizer has ${groupCount} parameter groups`,
      );
    }
    list.forEach((lr, i) => {
      assertHyperparameter(owner, `${name}[${i}]`, lr, 0, Number.POSITIVE_INFINITY);
    });
  }
  return { baseLrs: [...baseLrs], lastLrs: [...lastLrs] };
}
