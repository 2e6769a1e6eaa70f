/** A decision threshold and the accuracy it reaches. */
export interface ThresholdResult {
  readonly threshold: number;
  readonly accuracy: number;
}

/** Fraction of pairs classified right when `score >= threshold` means "same person". */
export function accuracyAtThreshold(scores: ArrayLike<number>, same: ArrayLike<boolean>, threshold: number): number {
  checkScores('accuracyAtThreshold', scores, same);
  let correct = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= threshold === same[i]) correct++;
  return correct / scores.length;
}

/**
 * The reference recipe's threshold search: try every score as the threshold (`score >= threshold` is "same"),
 * keep the first one, in the order given, with the highest accuracy. Gives the same answer as the
 * reference recipe's O(n^2) loop in O(n log n): one sorted sweep computes every candidate's accuracy.
 */
export function bestThreshold(scores: ArrayLike<number>, same: ArrayLike<boolean>): ThresholdResult {
  checkScores('bestThreshold', scores, same);
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let negatives = 0;
  for (let i = 0; i < n; i++) if (!same[i]) negatives++;
  // Sweep from the highest score down; after a run of equal scores, all of them count as "same".
  const correctAt = new Map<number, number>();
  let truePositives = 0;
  let falsePositives = 0;
  for (let k = 0; k < n; ) {
    const score = scores[order[k]];
    while (k < n && scores[order[k]] === score) {
      if (same[order[k]]) truePositives++;
      else falsePositives++;
      k++;
    }
    correctAt.set(score, truePositives + negatives - falsePositives);
  }
  let best = -1;
  let threshold = scores[0];
  for (let i = 0; i < n; i++) {
    const correct = correctAt.get(scores[i])!;
    if (correct > best) {
      best = correct;
      threshold = scores[i];
    }
  }
  return { threshold, accuracy: best / n };
}

/** Throws unless scores and labels are non-empty, equally long, and finite. */
export function checkScores(op: string, scores: ArrayLike<number>, same: ArrayLike<boolean>): void {
  if (scores.length !== same.length) throw new Error(`${op}: ${scores.length} scores but ${same.length} labels`);
  if (scores.length === 0) throw new Error(`${op}: no scores`);
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new Error(`${op}: score ${i} is ${scores[i]}, expected a finite number`);
  }
}
