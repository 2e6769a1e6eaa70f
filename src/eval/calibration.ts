import { kFoldAccuracy } from './kfold.js';
import { rocCurve, tarAtFar } from './roc.js';
import { bestThreshold } from './threshold.js';

/** A decision threshold on cosine similarity and what it does on the calibration pairs. */
export interface OperatingPoint {
  /** `score >= threshold` means "same person". */
  readonly threshold: number;
  /** Impostor pairs accepted at this threshold (false accept rate). */
  readonly far: number;
  /** Genuine pairs accepted at this threshold (true accept rate). */
  readonly tar: number;
}

/** The operating point at a target false accept rate. */
export interface FarOperatingPoint extends OperatingPoint {
  /** The FAR asked for; `far` is the one measured, at most this. */
  readonly target: number;
  /** False when there are fewer than 1 / target impostor pairs: the FAR cannot be measured that finely. */
  readonly measurable: boolean;
}

/**
 * Decision thresholds measured on a labelled pair list, stored with a model so that a yes/no answer
 * for two images means what the measurement says. The scores are kept (sorted) so that any
 * similarity can be placed against them: how many impostors and genuine pairs scored as high.
 */
export interface Calibration {
  readonly format: 'arcgrad-calibration';
  readonly version: 1;
  /** Where the pairs came from (the pair list file). */
  readonly pairs: string;
  /** How the thresholds and the accuracy were obtained, in words. */
  readonly protocol: string;
  readonly folds: number;
  /** Whether embeddings were the image's plus its mirror's (verification must embed the same way). */
  readonly flip: boolean;
  readonly pairCount: number;
  /** The threshold of best accuracy on all calibration pairs, with the k-fold estimate of its accuracy. */
  readonly best: OperatingPoint & { readonly kfoldAccuracy: number; readonly kfoldStd: number };
  readonly atFar: readonly FarOperatingPoint[];
  /** Cosine similarity of each genuine pair, ascending. */
  readonly genuineScores: readonly number[];
  /** Cosine similarity of each impostor pair, ascending. */
  readonly impostorScores: readonly number[];
}

/** Options of `calibrate`. */
export interface CalibrateOptions {
  /** Where the pairs came from, recorded in the calibration. */
  pairs: string;
  folds?: number;
  /** Target false accept rates (default 1e-2 and 1e-3). */
  fars?: readonly number[];
  flip?: boolean;
}

/**
 * The operating points of scored pairs. The best-accuracy threshold is tuned on all pairs (the one to
 * deploy), but the accuracy stored beside it is the k-fold one, whose thresholds never saw the
 * fold they are scored on: the accuracy tuned on all pairs would flatter it.
 */
export function calibrate(scores: ArrayLike<number>, same: ArrayLike<boolean>, options: CalibrateOptions): Calibration {
  const folds = options.folds ?? 10;
  const kfold = kFoldAccuracy(scores, same, folds);
  const roc = rocCurve(scores, same);
  const genuineScores: number[] = [];
  const impostorScores: number[] = [];
  for (let i = 0; i < scores.length; i++) (same[i] ? genuineScores : impostorScores).push(scores[i]);
  genuineScores.sort((a, b) => a - b);
  impostorScores.sort((a, b) => a - b);
  const rates = (threshold: number): OperatingPoint => ({
    threshold,
    far: fractionAtLeast(impostorScores, threshold),
    tar: fractionAtLeast(genuineScores, threshold),
  });
  return {
    format: 'arcgrad-calibration',
    version: 1,
    pairs: options.pairs,
    protocol: `best threshold tuned on all pairs; its accuracy from ${folds}-fold cross-validation (each fold's threshold tuned on the other ${folds - 1} folds, positives and negatives split separately); FAR thresholds from the ROC of all pairs`,
    folds,
    flip: options.flip ?? false,
    pairCount: scores.length,
    best: { ...rates(bestThreshold(scores, same).threshold), kfoldAccuracy: kfold.mean, kfoldStd: kfold.std },
    atFar: (options.fars ?? [1e-2, 1e-3]).map((target) => ({
      ...rates(tarAtFar(roc, target).threshold),
      target,
      measurable: target * impostorScores.length >= 1,
    })),
    genuineScores,
    impostorScores,
  };
}

/** Fraction of the ascending `sorted` scores that are >= `score` (binary search). */
export function fractionAtLeast(sorted: readonly number[], score: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < score) low = middle + 1;
    else high = middle;
  }
  return sorted.length === 0 ? 0 : (sorted.length - low) / sorted.length;
}

/** Names an operating point: `best`, or `far=<rate>` for one of the stored FAR targets. */
export type OperatingPointName = 'best' | `far=${string}`;

/** The stored operating point `at` names; an error lists the ones stored. */
export function operatingPoint(calibration: Calibration, at: OperatingPointName): OperatingPoint {
  if (at === 'best') return calibration.best;
  const target = at.startsWith('far=') ? Number(at.slice(4)) : Number.NaN;
  const point = calibration.atFar.find((p) => p.target === target);
  if (!point) {
    const stored = ['best', ...calibration.atFar.map((p) => `far=${p.target.toExponential(0)}`)].join(', ');
    throw new Error(`operatingPoint: no operating point '${at}' in the calibration; stored: ${stored}`);
  }
  return point;
}

/** Where a similarity falls among the calibration pairs: the FAR and TAR if it were the threshold. */
export function ratesAtScore(calibration: Calibration, score: number): { far: number; tar: number } {
  return {
    far: fractionAtLeast(calibration.impostorScores, score),
    tar: fractionAtLeast(calibration.genuineScores, score),
  };
}
