import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Adam, type AdamOptions, AdamW, type Optimizer, SGD, type SGDOptions, StepLR } from '../../src/optim/index.js';
import type { FloatDType } from '../../src/tensor/dtype.js';
import { tensor } from '../../src/tensor/index.js';
import type { Tensor } from '../../src/tensor/tensor.js';

/** Golden trajectories from PyTorch 1.13, written by scripts/make_optim_fixtures.py. */
interface OptimCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW';
  options: Record<string, unknown>;
  /** Per-group overrides, one group per parameter; null: all parameters in one group. */
  groups: Record<string, unknown>[] | null;
  stepLR: { stepSize: number; gamma: number } | null;
  dtype: FloatDType;
  shapes: number[][];
  initial: number[][];
  steps: { grads: (number[] | null)[]; params: number[][]; lr: number; lrs: number[] }[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/optim/optimizers.json', import.meta.url), 'utf8')) as {
  cases: OptimCase[];
};

// float64: PyTorch and arcgrad evaluate the same formulas in the same precision, so only the order of
// roundings differs. float32: PyTorch rounds every intermediate to float32 (and may fuse multiply-adds),
// arcgrad keeps intermediates in double and rounds where state is stored, so a few float32 ulps.
const tolerance: Record<FloatDType, number> = { float64: 1e-13, float32: 2e-6 };

function makeOptimizer(c: OptimCase, params: Tensor[]): Optimizer {
  const groups = c.groups;
  const given = groups === null ? params : params.map((p, i) => ({ params: [p], ...groups[i] }));
  if (c.optimizer === 'SGD') return new SGD(given, c.options as unknown as SGDOptions);
  const Kind = c.optimizer === 'Adam' ? Adam : AdamW;
  return new Kind(given, c.options as AdamOptions);
}

describe('optimizers follow PyTorch 1.13 step for step (fixtures: scripts/make_optim_fixtures.py)', () => {
  test.each(fixture.cases)('$name', (c) => {
    const params = c.initial.map((values, i) =>
      tensor(values, { shape: c.shapes[i], dtype: c.dtype, requiresGrad: true }),
    );
    const optimizer = makeOptimizer(c, params);
    const scheduler = c.stepLR ? new StepLR(optimizer, c.stepLR) : null;
    let worst = 0;
    for (const step of c.steps) {
      params.forEach((p, i) => {
        const g = step.grads[i];
        p.grad = g === null ? null : tensor(g, { shape: c.shapes[i], dtype: c.dtype });
      });
      optimizer.step();
      scheduler?.step();
      expect(optimizer.lr).toBe(step.lr);
      expect(optimizer.paramGroups.map((g) => g.lr)).toEqual(step.lrs);
      if (scheduler) expect(scheduler.getLastLrs()).toEqual(step.lrs);
      params.forEach((p, i) => {
        step.params[i].forEach((expected, k) => {
          const error = Math.abs(p.data[k] - expected) / Math.max(1, Math.abs(expected));
          worst = Math.max(worst, error);
        });
      });
    }
    expect(worst).toBeLessThanOrEqual(tolerance[c.dtype]);
  });
});
