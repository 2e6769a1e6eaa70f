import type { Calibration, FarOperatingPoint, OperatingPoint } from './calibration.js';

/**
 * Reads a calibration back from its JSON text, field by field: a damaged or hand-edited file gets an
 * error naming `source` and the field, never a decision made with a threshold that is not a number.
 */
export function parseCalibration(text: string, source: string): Calibration {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: calibration is not valid JSON (${(error as Error).message})`);
  }
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new Error(`${source}: calibration ${field} must be ${expected}, got ${JSON.stringify(got)}`);
  };
  const record = (x: unknown, field: string): Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x)
      ? (x as Record<string, unknown>)
      : fail(field, 'an object', x);
  const c = record(value, 'metadata');
  if (c.format !== 'arcgrad-calibration' || c.version !== 1) {
    fail('format/version', "'arcgrad-calibration' version 1", [c.format, c.version]);
  }
  const rate = (x: unknown, field: string): number =>
    typeof x === 'number' && x >= 0 && x <= 1 ? x : fail(field, 'a number in [0, 1]', x);
  const finite = (x: unknown, field: string): number =>
    typeof x === 'number' && Number.isFinite(x) ? x : fail(field, 'a finite number', x);
  const point = (x: unknown, field: string): OperatingPoint => {
    const p = record(x, field);
    return {
      threshold: finite(p.threshold, `${field}.threshold`),
      far: rate(p.far, `${field}.far`),
      tar: rate(p.tar, `${field}.tar`),
    };
  };
  const scoreList = (x: unknown, field: string): number[] => {
    if (!Array.isArray(x) || x.length === 0) return fail(field, 'a non-empty list of scores', x);
    x.forEach((s, i) => {
      finite(s, `${field}[${i}]`);
      if (i > 0 && s < x[i - 1]) fail(`${field}[${i}]`, `>= the score before it (${x[i - 1]})`, s);
    });
    return x as number[];
  };
  const best = record(c.best, 'best');
  const atFar = Array.isArray(c.atFar) ? c.atFar : fail('atFar', 'a list', c.atFar);
  const folds = c.folds;
  if (typeof folds !== 'number' || !Number.isInteger(folds) || folds < 2) fail('folds', 'an integer >= 2', folds);
  if (typeof c.flip !== 'boolean') fail('flip', 'true or false', c.flip);
  for (const key of ['pairs', 'protocol'] as const) if (typeof c[key] !== 'string') fail(key, 'a string', c[key]);
  const genuineScores = scoreList(c.genuineScores, 'genuineScores');
  const impostorScores = scoreList(c.impostorScores, 'impostorScores');
  if (c.pairCount !== genuineScores.length + impostorScores.length) {
    fail('pairCount', `the number of stored scores (${genuineScores.length + impostorScores.length})`, c.pairCount);
  }
  return {
    format: 'arcgrad-calibration',
    version: 1,
    pairs: c.pairs as string,
    protocol: c.protocol as string,
    folds: folds as number,
    flip: c.flip as boolean,
    pairCount: c.pairCount as number,
    best: {
      ...point(best, 'best'),
      kfoldAccuracy: rate(best.kfoldAccuracy, 'best.kfoldAccuracy'),
      kfoldStd: finite(best.kfoldStd, 'best.kfoldStd'),
    },
    atFar: atFar.map((x, i): FarOperatingPoint => {
      const p = record(x, `atFar[${i}]`);
      if (typeof p.measurable !== 'boolean') fail(`atFar[${i}].measurable`, 'true or false', p.measurable);
      return {
        ...point(p, `atFar[${i}]`),
        target: rate(p.target, `atFar[${i}].target`),
        measurable: p.measurable as boolean,
      };
    }),
    genuineScores,
    impostorScores,
  };
}
