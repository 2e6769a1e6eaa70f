import { kFoldAccuracy } from './kfold.js';
import { type RocCurve, rocAuc, rocCurve, type TarAtFar, tarAtFar } from './roc.js';
import { bestThreshold } from './threshold.js';

/** Everything the `test` command reports for a list of scored pairs. */
export interface VerificationReport {
  readonly pairs: number;
  readonly genuinePairs: number;
  readonly impostorPairs: number;
  /** The reference recipe's figure: one threshold tuned on all pairs (optimistic), and its accuracy. */
  readonly bestThresholdAccuracy: number;
  readonly threshold: number;
  /** 10-fold accuracy (threshold tuned on 9 folds, tested on the 10th): mean and std. */
  readonly kfoldAccuracy: number;
  readonly kfoldStd: number;
  readonly folds: number;
  readonly auc: number;
  readonly tarAtFar: readonly TarAtFar[];
  readonly roc: RocCurve;
}

/** Computes the verification report of similarity scores (higher = more alike). */
export function verificationReport(
  scores: ArrayLike<number>,
  same: ArrayLike<boolean>,
  options: { folds?: number; fars?: readonly number[] } = {},
): VerificationReport {
  const folds = options.folds ?? 10;
  const best = bestThreshold(scores, same);
  const kfold = kFoldAccuracy(scores, same, folds);
  const roc = rocCurve(scores, same);
  let genuinePairs = 0;
  for (let i = 0; i < same.length; i++) if (same[i]) genuinePairs++;
  return {
    pairs: scores.length,
    genuinePairs,
    impostorPairs: scores.length - genuinePairs,
    bestThresholdAccuracy: best.accuracy,
    threshold: best.threshold,
    kfoldAccuracy: kfold.mean,
    kfoldStd: kfold.std,
    folds,
    auc: rocAuc(roc),
    tarAtFar: (options.fars ?? [1e-2, 1e-3]).map((far) => tarAtFar(roc, far)),
    roc,
  };
}

/** Human-readable lines of a report. */
export function formatVerificationReport(report: VerificationReport): string {
  const percent = (x: number): string => `${(100 * x).toFixed(2)}%`;
  const lines = [
    `pairs: ${report.pairs} (${report.genuinePairs} genuine, ${report.impostorPairs} impostor)`,
    `${report.folds}-fold accuracy: ${percent(report.kfoldAccuracy)} +- ${percent(report.kfoldStd)}`,
    `best-threshold accuracy (the reference recipe's, tuned on all pairs): ${percent(report.bestThresholdAccuracy)} at threshold ${report.threshold.toFixed(4)}`,
    `ROC AUC: ${report.auc.toFixed(4)}`,
  ];
  for (const point of report.tarAtFar) {
    // With few impostor pairs a FAR below 1/impostors cannot be measured; say so instead of printing a number that means nothing.
    const resolvable = point.far * report.impostorPairs >= 1;
    lines.push(
      `TAR @ FAR ${point.far.toExponential(0)}: ${percent(point.tar)} (threshold ${point.threshold.toFixed(4)})${resolvable ? '' : ` [only ${report.impostorPairs} impostor pairs: FAR resolution 1/${report.impostorPairs}]`}`,
    );
  }
  return lines.join('\n');
}

/** The one-line JSON summary (`--json`): the report's numbers without the ROC arrays. */
export function reportSummary(report: VerificationReport, seconds: number): Record<string, number | object> {
  return {
    kfoldAccuracy: report.kfoldAccuracy,
    kfoldStd: report.kfoldStd,
    auc: report.auc,
    bestThresholdAccuracy: report.bestThresholdAccuracy,
    threshold: report.threshold,
    tarAtFar: Object.fromEntries(report.tarAtFar.map((p) => [p.far.toExponential(0), p.tar])),
    pairs: report.pairs,
    seconds,
  };
}
