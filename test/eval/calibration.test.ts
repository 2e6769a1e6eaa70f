import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  accuracyAtThreshold,
  bestThreshold,
  calibrate,
  fractionAtLeast,
  kFoldAccuracy,
  kFoldAssignment,
  operatingPoint,
  parseCalibration,
  ratesAtScore,
} from '../../src/eval/index.js';
import { Generator } from '../../src/tensor/index.js';

/** Synthetic verification scores: genuine pairs around 0.6, impostors around 0.3, in a seeded random order. */
function syntheticScores(seed: number, genuine: number, impostors: number): { scores: number[]; same: boolean[] } {
  const random = new Generator(seed);
  const same = random.shuffle([...Array(genuine).fill(true), ...Array(impostors).fill(false)] as boolean[]);
  // Rounded to two decimals so that ties, which the threshold search must handle, are common.
  const scores = same.map((s) => Math.round(100 * ((s ? 0.6 : 0.3) + 0.2 * random.normal())) / 100);
  return { scores, same };
}

/** The scores with those of `fold`'s pairs shuffled among themselves: the fold's labels now sit on other scores. */
function shuffleWithinFold(scores: number[], foldOf: Int32Array, fold: number, seed: number): number[] {
  const members = scores.flatMap((_, i) => (foldOf[i] === fold ? [i] : []));
  const moved = new Generator(seed).shuffle(members.map((i) => scores[i]));
  const out = [...scores];
  members.forEach((i, k) => {
    out[i] = moved[k];
  });
  return out;
}

const caseArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  genuine: fc.integer({ min: 5, max: 40 }),
  impostors: fc.integer({ min: 5, max: 40 }),
  folds: fc.integer({ min: 2, max: 5 }),
});

describe('k-fold accuracy never uses the labels of the fold it scores', () => {
  test.prop([caseArb], { numRuns: 60 })(
    "each fold's threshold is the best threshold of the other folds alone",
    ({ seed, genuine, impostors, folds }) => {
      const { scores, same } = syntheticScores(seed, genuine, impostors);
      const foldOf = kFoldAssignment(same, folds);
      const result = kFoldAccuracy(scores, same, folds);
      for (let fold = 0; fold < folds; fold++) {
        const train = scores.flatMap((_, i) => (foldOf[i] === fold ? [] : [i]));
        const test = scores.flatMap((_, i) => (foldOf[i] === fold ? [i] : []));
        const threshold = bestThreshold(
          train.map((i) => scores[i]),
          train.map((i) => same[i]),
        ).threshold;
        expect(result.thresholds[fold]).toBe(threshold);
        expect(result.accuracies[fold]).toBe(
          accuracyAtThreshold(
            test.map((i) => scores[i]),
            test.map((i) => same[i]),
            threshold,
          ),
        );
      }
    },
  );

  test.prop([caseArb, fc.integer({ min: 0, max: 1000 })], { numRuns: 60 })(
    "re-pairing a fold's labels with its scores leaves that fold's threshold unchanged",
    ({ seed, genuine, impostors, folds }, shuffleSeed) => {
      const { scores, same } = syntheticScores(seed, genuine, impostors);
      const foldOf = kFoldAssignment(same, folds);
      const before = kFoldAccuracy(scores, same, folds);
      for (let fold = 0; fold < folds; fold++) {
        const after = kFoldAccuracy(shuffleWithinFold(scores, foldOf, fold, shuffleSeed + fold), same, folds);
        expect(after.thresholds[fold]).toBe(before.thresholds[fold]);
      }
    },
  );

  test.prop([caseArb], { numRuns: 30 })(
    'the folds split positives and negatives evenly',
    ({ seed, genuine, impostors, folds }) => {
      const { same } = syntheticScores(seed, genuine, impostors);
      const foldOf = kFoldAssignment(same, folds);
      for (const label of [true, false]) {
        const sizes = Array.from(
          { length: folds },
          (_, f) => same.filter((s, i) => s === label && foldOf[i] === f).length,
        );
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    },
  );

  test('the same re-pairing does move a threshold tuned on all pairs (so the law above can fail)', () => {
    let moved = 0;
    for (let seed = 0; seed < 20; seed++) {
      const { scores, same } = syntheticScores(seed, 30, 30);
      const foldOf = kFoldAssignment(same, 10);
      const shuffled = shuffleWithinFold(scores, foldOf, 0, seed);
      if (bestThreshold(shuffled, same).threshold !== bestThreshold(scores, same).threshold) moved++;
    }
    expect(moved).toBeGreaterThan(0);
  });
});

describe('calibration', () => {
  const { scores, same } = syntheticScores(7, 200, 300);
  const calibration = calibrate(scores, same, { pairs: 'synthetic.txt' });

  test('the best threshold is tuned on all pairs and carries the k-fold accuracy, not its own', () => {
    expect(calibration.best.threshold).toBe(bestThreshold(scores, same).threshold);
    const kfold = kFoldAccuracy(scores, same, 10);
    expect(calibration.best.kfoldAccuracy).toBe(kfold.mean);
    expect(calibration.best.kfoldStd).toBe(kfold.std);
    expect(calibration.pairs).toBe('synthetic.txt');
    expect(calibration.pairCount).toBe(500);
    expect(calibration.genuineScores.length).toBe(200);
  });

  test('each FAR operating point accepts at most its target share of impostors, and one score lower would not', () => {
    expect(calibration.atFar.map((p) => p.target)).toEqual([1e-2, 1e-3]);
    for (const point of calibration.atFar) {
      expect(point.far).toBeLessThanOrEqual(point.target);
      const impostors = calibration.impostorScores;
      const looser = impostors.filter((s) => s < point.threshold).at(-1);
      if (looser !== undefined && point.far < 1) {
        const looserGenuine = fractionAtLeast(calibration.genuineScores, looser);
        // A looser threshold either breaks the FAR target or gains no genuine pair.
        expect(fractionAtLeast(impostors, looser) > point.target || looserGenuine === point.tar).toBe(true);
      }
    }
    expect(calibration.atFar[0].measurable).toBe(true);
    expect(calibration.atFar[1].measurable).toBe(false);
  });

  test.prop([fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 30 }), fc.integer({ min: -6, max: 6 })])(
    'fractionAtLeast counts the scores >= the given one',
    (values, score) => {
      const sorted = [...values].sort((a, b) => a - b);
      const expected = values.length === 0 ? 0 : values.filter((v) => v >= score).length / values.length;
      expect(fractionAtLeast(sorted, score)).toBe(expected);
    },
  );

  test('rates at a score are those of the operating point whose threshold it is', () => {
    for (const point of [calibration.best, ...calibration.atFar]) {
      expect(ratesAtScore(calibration, point.threshold)).toEqual({ far: point.far, tar: point.tar });
    }
  });

  test('operating points are found by name; an unknown one lists those stored', () => {
    expect(operatingPoint(calibration, 'best')).toBe(calibration.best);
    expect(operatingPoint(calibration, 'far=1e-3')).toBe(calibration.atFar[1]);
    expect(operatingPoint(calibration, 'far=0.01')).toBe(calibration.atFar[0]);
    expect(() => operatingPoint(calibration, 'far=1e-4')).toThrow(
      "operatingPoint: no operating point 'far=1e-4' in the calibration; stored: best, far=1e-2, far=1e-3",
    );
  });

  test('JSON text reads back equal; a damaged field is an error naming it', () => {
    expect(parseCalibration(JSON.stringify(calibration), 'model.safetensors')).toEqual(calibration);
    const damaged = { ...calibration, best: { ...calibration.best, threshold: 'high' } };
    expect(() => parseCalibration(JSON.stringify(damaged), 'model.safetensors')).toThrow(
      'model.safetensors: calibration best.threshold must be a finite number, got "high"',
    );
    const unsorted = { ...calibration, impostorScores: [0.5, 0.1] };
    expect(() => parseCalibration(JSON.stringify(unsorted), 'm')).toThrow(
      'm: calibration impostorScores[1] must be >=',
    );
    expect(() => parseCalibration('{', 'm')).toThrow('m: calibration is not valid JSON');
  });
});
