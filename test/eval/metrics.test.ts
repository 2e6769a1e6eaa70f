import { describe, expect, test } from 'vitest';
import {
  accuracyAtThreshold,
  bestThreshold,
  embeddingCosine,
  kFoldAccuracy,
  rocAuc,
  rocCurve,
  tarAtFar,
  verificationReport,
} from '../../src/eval/index.js';

const labelled = (positives: number[], negatives: number[]) => ({
  scores: [...positives, ...negatives],
  same: [...positives.map(() => true), ...negatives.map(() => false)],
});

describe('best threshold (the reference recipe search)', () => {
  test('separable scores reach 100% at the lowest genuine score', () => {
    expect(bestThreshold([0.3, 0.8, 0.5, 0.6], [false, true, false, true])).toEqual({ threshold: 0.6, accuracy: 1 });
  });

  test('between equally good thresholds the first in list order wins, as in the reference recipe loop', () => {
    // Thresholds 0.4 and 0.8 both classify 3 of 4 right (worked by hand).
    expect(bestThreshold([0.2, 0.4, 0.6, 0.8], [false, true, false, true])).toEqual({ threshold: 0.4, accuracy: 0.75 });
    expect(bestThreshold([0.8, 0.6, 0.4, 0.2], [true, false, true, false])).toEqual({ threshold: 0.8, accuracy: 0.75 });
  });

  test('ties in score count together (score >= threshold is "same")', () => {
    expect(bestThreshold([0.5, 0.5, 0.1], [true, false, false])).toEqual({ threshold: 0.5, accuracy: 2 / 3 });
    expect(accuracyAtThreshold([0.5, 0.5, 0.1], [true, false, false], 0.5)).toBeCloseTo(2 / 3);
  });

  test('rejects mismatched or non-finite input', () => {
    expect(() => bestThreshold([0.1], [true, false])).toThrow('bestThreshold: 1 scores but 2 labels');
    expect(() => bestThreshold([Number.NaN], [true])).toThrow(
      'bestThreshold: score 0 is NaN, expected a finite number',
    );
  });
});

describe('10-fold accuracy', () => {
  // 10 genuine pairs at 0.9 except #3 at 0.1; 10 impostors at 0.2 except #7 at 0.95. Worked by hand:
  // every fold tunes threshold 0.9 on the other nine; folds 3 and 7 then get 1 of 2 right, the rest 2 of 2.
  // Accuracies [1,1,1,.5,1,1,1,.5,1,1]: mean 0.9, population std sqrt((8 * 0.01 + 2 * 0.16) / 10) = 0.2.
  const positives = Array.from({ length: 10 }, (_, i) => (i === 3 ? 0.1 : 0.9));
  const negatives = Array.from({ length: 10 }, (_, i) => (i === 7 ? 0.95 : 0.2));

  test('matches the hand-computed fold accuracies, mean and std with positives listed first', () => {
    const { scores, same } = labelled(positives, negatives);
    const result = kFoldAccuracy(scores, same, 10);
    expect(result.accuracies).toEqual([1, 1, 1, 0.5, 1, 1, 1, 0.5, 1, 1]);
    expect(result.thresholds).toEqual(Array(10).fill(0.9));
    expect(result.mean).toBeCloseTo(0.9, 12);
    expect(result.std).toBeCloseTo(0.2, 12);
  });

  test('folds are balanced: interleaving positives and negatives gives the same result', () => {
    const { scores, same } = labelled(positives, negatives);
    const interleaved = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? i / 2 : 10 + (i - 1) / 2));
    const result = kFoldAccuracy(
      interleaved.map((i) => scores[i]),
      interleaved.map((i) => same[i]),
    );
    expect(result.accuracies).toEqual([1, 1, 1, 0.5, 1, 1, 1, 0.5, 1, 1]);
  });

  test('needs at least one positive and one negative per fold', () => {
    expect(() => kFoldAccuracy([0.9, 0.1], [true, false], 10)).toThrow(
      'kFoldAccuracy: 10 folds need at least 10 positive and 10 negative pairs, got 1 and 1',
    );
  });
});

describe('ROC, AUC and TAR at FAR', () => {
  const auc = (positives: number[], negatives: number[]): number => {
    const { scores, same } = labelled(positives, negatives);
    return rocAuc(rocCurve(scores, same));
  };

  test('AUC on hand cases: separable 1, reversed 0, tied 0.5, one swapped pair 3/4, a tie counts half', () => {
    expect(auc([0.9, 0.8], [0.7, 0.1])).toBe(1);
    expect(auc([0.1], [0.9])).toBe(0);
    expect(auc([0.5], [0.5])).toBe(0.5);
    expect(auc([0.9, 0.4], [0.6, 0.1])).toBe(0.75);
    expect(auc([0.5, 0.8], [0.5, 0.2])).toBe(0.875);
  });

  test('TAR at FAR takes the loosest threshold whose false accept rate stays within the bound', () => {
    const { scores, same } = labelled([0.9, 0.7, 0.3], [0.8, 0.5, 0.2, 0.1]);
    const curve = rocCurve(scores, same);
    expect(tarAtFar(curve, 0.25)).toEqual({ far: 0.25, tar: 2 / 3, threshold: 0.7 });
    expect(tarAtFar(curve, 0)).toEqual({ far: 0, tar: 1 / 3, threshold: 0.9 });
    expect(() => tarAtFar(curve, 2)).toThrow('tarAtFar: far must be in [0, 1], got 2');
  });

  test('the report gathers best threshold, k-fold, AUC and TAR@FAR', () => {
    const positives = Array.from({ length: 20 }, (_, i) => 0.5 + i / 50);
    const negatives = Array.from({ length: 20 }, (_, i) => i / 50);
    const { scores, same } = labelled(positives, negatives);
    const report = verificationReport(scores, same);
    expect(report.bestThresholdAccuracy).toBe(1);
    // Thresholds are data points (the reference recipe's search): fold 0 tests the two lowest genuine scores (0.5, 0.52)
    // against a threshold tuned to 0.54 on the other folds, so it gets 2 of 4 right: mean (0.5 + 9) / 10.
    expect(report.kfoldAccuracy).toBeCloseTo(0.95, 12);
    expect(report.auc).toBe(1);
    expect(report.tarAtFar.map((p) => p.tar)).toEqual([1, 1]);
    expect([report.genuinePairs, report.impostorPairs]).toEqual([20, 20]);
  });

  test('cosine similarity of embeddings', () => {
    expect(embeddingCosine([1, 0], [0, 2])).toBe(0);
    expect(embeddingCosine([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(embeddingCosine([0, 0], [1, 1])).toBe(0);
    expect(() => embeddingCosine([1], [1, 2])).toThrow('embeddingCosine: vectors have lengths 1 and 2');
  });
});
