import { checkScores } from './threshold.js';

/** A ROC curve: false and true positive rates at each distinct threshold, from strictest to loosest. */
export interface RocCurve {
  /** False accept rate (impostor pairs accepted), starting at 0. */
  readonly falsePositiveRates: Float64Array;
  /** True accept rate (genuine pairs accepted), starting at 0. */
  readonly truePositiveRates: Float64Array;
  /** Threshold of each point (`score >= threshold` accepts); the first is +Infinity. */
  readonly thresholds: Float64Array;
}

/** The ROC curve of similarity scores, one point per distinct score (plus the origin). */
export function rocCurve(scores: ArrayLike<number>, same: ArrayLike<boolean>): RocCurve {
  checkScores('rocCurve', scores, same);
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (same[i]) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new Error(`rocCurve: needs both genuine and impostor pairs, got ${positives} and ${negatives}`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  let truePositives = 0;
  let falsePositives = 0;
  for (let k = 0; k < n; ) {
    const score = scores[order[k]];
    while (k < n && scores[order[k]] === score) {
      if (same[order[k]]) truePositives++;
      else falsePositives++;
      k++;
    }
    fpr.push(falsePositives / negatives);
    tpr.push(truePositives / positives);
    thresholds.push(score);
  }
  return {
    falsePositiveRates: Float64Array.from(fpr),
    truePositiveRates: Float64Array.from(tpr),
    thresholds: Float64Array.from(thresholds),
  };
}

/**
 * Area under the ROC curve by the trapezoid rule over the tie-aware curve: the probability that a
 * random genuine pair scores above a random impostor pair, ties counting one half.
 */
export function rocAuc(curve: RocCurve): number {
  const x = curve.falsePositiveRates;
  const y = curve.truePositiveRates;
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return area;
}

/** True accept rate at a false accept rate: the best TAR among thresholds whose FAR is at most `far`. */
export interface TarAtFar {
  readonly far: number;
  readonly tar: number;
  readonly threshold: number;
}

/** TAR at the strictest operating point that keeps FAR <= `far` (the usual face-verification figure). */
export function tarAtFar(curve: RocCurve, far: number): TarAtFar {
  if (!(far >= 0 && far <= 1)) throw new Error(`tarAtFar: far must be in [0, 1], got ${far}`);
  let best = 0;
  for (let i = 0; i < curve.thresholds.length; i++) {
    if (curve.falsePositiveRates[i] <= far && curve.truePositiveRates[i] >= curve.truePositiveRates[best]) best = i;
  }
  return { far, tar: curve.truePositiveRates[best], threshold: curve.thresholds[best] };
}
