import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { crossEntropy, focalLoss, type Reduction } from '../../src/losses/index.js';
import type { FloatDType } from '../../src/tensor/dtype.js';
import { tensor } from '../../src/tensor/index.js';

/**
 * Golden values from PyTorch 1.13's F.cross_entropy and the reference recipe's focal_loss on logits of size ~40
 * (the range s = 30 heads produce, where an unshifted exp would overflow float32), written by
 * scripts/make_head_fixtures.py.
 */
interface LossCase {
  dtype: FloatDType;
  shape: number[];
  logits: number[];
  labels: number[];
  none: { loss: number[]; gradOfSum: number[] };
  sum: { loss: number[]; gradOfSum: number[] };
  mean: { loss: number[]; gradOfSum: number[] };
  focal: { loss: number; grad: number[] };
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/heads/heads.json', import.meta.url), 'utf8')) as {
  losses: LossCase[];
};

/** Largest |a - b| relative to the largest |b| (the values' scale), so exact zeros do not blow it up. */
function scaledError(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs), 1e-30);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  return worst;
}

const tolerance: Record<FloatDType, number> = { float64: 1e-12, float32: 1e-6 };

describe('crossEntropy and focalLoss match PyTorch on large logits (fixtures: scripts/make_head_fixtures.py)', () => {
  for (const c of fixture.losses) {
    for (const reduction of ['none', 'sum', 'mean'] as Reduction[]) {
      test(`crossEntropy reduction '${reduction}' (${c.dtype})`, () => {
        const logits = tensor(c.logits, { shape: c.shape, dtype: c.dtype, requiresGrad: true });
        const loss = crossEntropy(logits, c.labels, { reduction });
        (reduction === 'none' ? loss.sum() : loss).backward();
        expect(loss.shape).toEqual(reduction === 'none' ? [c.shape[0]] : []);
        expect(scaledError(loss.data, c[reduction].loss)).toBeLessThanOrEqual(tolerance[c.dtype]);
        expect(scaledError(logits.grad?.data ?? [], c[reduction].gradOfSum)).toBeLessThanOrEqual(tolerance[c.dtype]);
      });
    }
    test(`focalLoss gamma 2 (${c.dtype})`, () => {
      const logits = tensor(c.logits, { shape: c.shape, dtype: c.dtype, requiresGrad: true });
      const loss = focalLoss(logits, c.labels);
      loss.backward();
      expect(scaledError([loss.item()], [c.focal.loss])).toBeLessThanOrEqual(tolerance[c.dtype]);
      expect(scaledError(logits.grad?.data ?? [], c.focal.grad)).toBeLessThanOrEqual(tolerance[c.dtype]);
    });
  }
});
