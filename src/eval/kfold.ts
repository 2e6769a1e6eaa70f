import { accuracyAtThreshold, bestThreshold, checkScores } from './threshold.js';

/** Result of k-fold verification accuracy. */
export interface KFoldResult {
  /** Mean test-fold accuracy. */
  readonly mean: number;
  /** Population standard deviation (ddof 0, as numpy's std in the LFW evaluation scripts). */
  readonly std: number;
  /** Accuracy on each test fold. */
  readonly accuracies: readonly number[];
  /** Threshold tuned on the other folds, for each test fold. */
  readonly thresholds: readonly number[];
}

/**
 * The standard LFW protocol: split into `folds` test folds; for each, tune the threshold on the
 * other folds (the reference recipe's best-threshold search) and measure accuracy on it. Positives and
 * negatives are split separately into contiguous, order-preserving parts (sizes as numpy's
 * array_split), and fold i takes part i of each, so every fold is balanced like LFW's 300 + 300
 * even when the list puts all positives first, as the reference recipe's does.
 */
export function kFoldAccuracy(scores: ArrayLike<number>, same: ArrayLike<boolean>, folds = 10): KFoldResult {
  checkScores('kFoldAccuracy', scores, same);
  if (!Number.isInteger(folds) || folds < 2)
    throw new Error(`kFoldAccuracy: folds must be an integer >= 2, got ${folds}`);
  let positives = 0;
  for (let i = 0; i < same.length; i++) if (same[i]) positives++;
  const negatives = same.length - positives;
  if (positives < folds || negatives < folds) {
    throw new Error(
      `kFoldAccuracy: ${folds} folds need at least ${folds} positive and ${folds} negative pairs, got ${positives} and ${negatives}`,
    );
  }
  const foldOf = kFoldAssignment(same, folds);
  const accuracies: number[] = [];
  const thresholds: number[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const trainScores: number[] = [];
    const trainSame: boolean[] = [];
    const testScores: number[] = [];
    const testSame: boolean[] = [];
    for (let i = 0; i < scores.length; i++) {
      if (foldOf[i] === fold) {
        testScores.push(scores[i]);
        testSame.push(same[i]);
      } else {
        trainScores.push(scores[i]);
        trainSame.push(same[i]);
      }
    }
    const { threshold } = bestThreshold(trainScores, trainSame);
    thresholds.push(threshold);
    accuracies.push(accuracyAtThreshold(testScores, testSame, threshold));
  }
  const mean = accuracies.reduce((a, b) => a + b, 0) / folds;
  const std = Math.sqrt(accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / folds);
  return { mean, std, accuracies, thresholds };
}

/**
 * The test fold of each pair under `kFoldAccuracy`'s split: positives and negatives each cut into
 * `folds` contiguous parts in list order. It depends on the labels' order only, never on the scores.
 */
export function kFoldAssignment(same: ArrayLike<boolean>, folds: number): Int32Array {
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let i = 0; i < same.length; i++) (same[i] ? positives : negatives).push(i);
  const foldOf = new Int32Array(same.length);
  for (const group of [positives, negatives]) {
    const parts = splitSizes(group.length, folds);
    let k = 0;
    parts.forEach((size, fold) => {
      for (let j = 0; j < size; j++) foldOf[group[k++]] = fold;
    });
  }
  return foldOf;
}

/** numpy.array_split sizes: the first `n % parts` parts get one extra element. */
function splitSizes(n: number, parts: number): number[] {
  const base = Math.floor(n / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < n % parts ? 1 : 0));
}
