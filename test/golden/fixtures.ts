import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatShape, shapesEqual } from '../../src/tensor/shape.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** A tensor as stored in a golden fixture: shape plus flat row-major data. */
export interface StoredTensor {
  shape: number[];
  data: number[];
}

/** The common header of the fixtures written by scripts/make_golden_core.py. */
export interface GoldenFile<Case> {
  op: string;
  generator: string;
  torch: string;
  dtype: string;
  cases: Case[];
}

/** Reads test/fixtures/core/<name>. */
export function readGolden<Case>(name: string): GoldenFile<Case> {
  const path = fileURLToPath(new URL(`../fixtures/core/${name}`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as GoldenFile<Case>;
}

/** A float32 tensor holding the stored values. */
export function fromStored(stored: StoredTensor, requiresGrad = false): Tensor {
  return new Tensor(Float32Array.from(stored.data), stored.shape, requiresGrad);
}

/** Largest differences seen by `compareToGolden`: absolute, and as a fraction of the allowed difference. */
export interface Differences {
  maxAbs: number;
  maxToleranceUsed: number;
}

/**
 * Checks |actual - expected| <= atol + rtol * |expected| elementwise (torch.allclose's rule) and
 * returns the largest differences; throws naming the label and the worst element otherwise.
 */
export function compareToGolden(
  label: string,
  actual: Tensor | null,
  expected: StoredTensor,
  atol = 1e-6,
  rtol = 1e-5,
): Differences {
  if (actual === null) throw new Error(`${label}: no tensor (missing gradient?)`);
  if (!shapesEqual(actual.shape, expected.shape)) {
    throw new Error(`${label}: shape ${formatShape(actual.shape)}, expected ${formatShape(expected.shape)}`);
  }
  let maxAbs = 0;
  let maxToleranceUsed = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const want = expected.data[i];
    const got = actual.data[i];
    const abs = Math.abs(got - want);
    const allowed = atol + rtol * Math.abs(want);
    if (!(abs <= allowed)) {
      throw new Error(`${label}: element ${i} is ${got}, PyTorch gives ${want} (|diff| ${abs})`);
    }
    maxAbs = Math.max(maxAbs, abs);
    maxToleranceUsed = Math.max(maxToleranceUsed, abs / allowed);
  }
  return { maxAbs, maxToleranceUsed };
}
