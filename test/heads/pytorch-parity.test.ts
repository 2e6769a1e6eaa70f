import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { arcFaceLogits, cosFaceLogits } from '../../src/heads/index.js';
import { crossEntropy, focalLoss } from '../../src/losses/index.js';
import type { FloatDType } from '../../src/tensor/dtype.js';
import { tensor } from '../../src/tensor/index.js';

/**
 * Golden values from the reference recipe's PyTorch CosFace/ArcFace/focal_loss (../shared/seed/torch_reference.py,
 * PyTorch 1.13), written by scripts/make_head_fixtures.py. For the cos = +-1 case the recipe's gradients
 * are NaN; the fixture's gradients there come from the recipe's formulas with the sqrt's derivative
 * taken as 0 where it is 0, the convention arcgrad documents in marginSine.
 */
interface HeadCase {
  name: string;
  head: 'CosFace' | 'ArcFace';
  options: { s: number; m: number };
  dtype: FloatDType;
  batch: number;
  features: number;
  classes: number;
  embeddings: number[];
  weight: number[];
  labels: number[];
  seedGradientsFinite: boolean;
  logits: number[];
  focalLoss: number;
  crossEntropy: number;
  gradEmbeddings: number[];
  gradWeight: number[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/heads/heads.json', import.meta.url), 'utf8')) as {
  heads: HeadCase[];
};

/** Largest |a - b| / max(|b|, floor) over all elements. */
function maxRelativeError(actual: ArrayLike<number>, expected: readonly number[], floor: number): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), floor));
  }
  return worst;
}

// float64 differs from PyTorch only in summation order; float32 by float32 rounding (the bar is rel 1e-4).
const tolerance: Record<FloatDType, number> = { float64: 1e-10, float32: 1e-4 };

describe('CosFace, ArcFace and focal loss match the reference recipe (fixtures: scripts/make_head_fixtures.py)', () => {
  test.each(fixture.heads)('$name', (c) => {
    const x = tensor(c.embeddings, { shape: [c.batch, c.features], dtype: c.dtype, requiresGrad: true });
    const w = tensor(c.weight, { shape: [c.classes, c.features], dtype: c.dtype, requiresGrad: true });
    const labels = Int32Array.from(c.labels);
    const logits =
      c.head === 'CosFace' ? cosFaceLogits(x, w, labels, c.options) : arcFaceLogits(x, w, labels, c.options);
    const loss = focalLoss(logits, labels);
    loss.backward();
    const tol = tolerance[c.dtype];
    // Logits are O(s); compare relative to s-sized values so near-zero logits do not dominate.
    expect(maxRelativeError(logits.data, c.logits, 1)).toBeLessThanOrEqual(tol);
    expect(maxRelativeError([loss.item()], [c.focalLoss], 1e-6)).toBeLessThanOrEqual(tol);
    expect(maxRelativeError([crossEntropy(logits, labels).item()], [c.crossEntropy], 1e-6)).toBeLessThanOrEqual(tol);
    const gradFloor = 1e-3 * Math.max(...c.gradWeight.map(Math.abs), ...c.gradEmbeddings.map(Math.abs));
    expect(maxRelativeError(x.grad?.data ?? [], c.gradEmbeddings, gradFloor)).toBeLessThanOrEqual(tol);
    expect(maxRelativeError(w.grad?.data ?? [], c.gradWeight, gradFloor)).toBeLessThanOrEqual(tol);
    for (const g of [...(x.grad?.data ?? []), ...(w.grad?.data ?? [])]) expect(Number.isFinite(g)).toBe(true);
  });

  test('the boundary fixtures really are the case where the reference recipe returns NaN gradients', () => {
    const boundary = fixture.heads.filter((c) => c.name.startsWith('ArcFace at cos = +1 and -1'));
    expect(boundary).toHaveLength(2);
    for (const c of boundary) expect(c.seedGradientsFinite).toBe(false);
  });
});
