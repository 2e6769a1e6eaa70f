import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  Adam,
  AdamW,
  type AdamWOptions,
  CosineAnnealingLR,
  type CosineAnnealingLROptions,
  LinearLR,
  type LinearLROptions,
} from '../../src/optim/index.js';
import type { FloatDType } from '../../src/tensor/dtype.js';
import { tensor } from '../../src/tensor/index.js';

/** Golden AdamW trajectories and lr sequences from PyTorch 1.13, written by scripts/make_golden_learner_ops.py. */
interface AdamWCase {
  name: string;
  options: AdamWOptions;
  dtype: FloatDType;
  shapes: number[][];
  initial: number[][];
  steps: { grads: (number[] | null)[]; params: number[][]; lr: number }[];
}

interface ScheduleCase {
  name: string;
  scheduler: 'CosineAnnealingLR' | 'LinearLR';
  options: Record<string, number>;
  lr: number;
  lrs: number[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/optim/learner-optim.json', import.meta.url), 'utf8')) as {
  adamw: AdamWCase[];
  schedules: ScheduleCase[];
};

// As in pytorch-parity.test.ts: float32 intermediates are kept in double here, so a few float32 ulps.
const tolerance: Record<FloatDType, number> = { float64: 1e-13, float32: 2e-6 };

describe('AdamW follows PyTorch 1.13 step for step', () => {
  test.each(fixture.adamw)('$name ($dtype)', (c) => {
    const params = c.initial.map((values, i) =>
      tensor(values, { shape: c.shapes[i], dtype: c.dtype, requiresGrad: true }),
    );
    const optimizer = new AdamW(params, c.options);
    let worst = 0;
    for (const step of c.steps) {
      params.forEach((p, i) => {
        const g = step.grads[i];
        p.grad = g === null ? null : tensor(g, { shape: c.shapes[i], dtype: c.dtype });
      });
      optimizer.step();
      params.forEach((p, i) => {
        step.params[i].forEach((expected, k) => {
          worst = Math.max(worst, Math.abs(p.data[k] - expected) / Math.max(1, Math.abs(expected)));
        });
      });
    }
    expect(worst).toBeLessThanOrEqual(tolerance[c.dtype]);
  });

  test("PyTorch's defaults, and errors that name AdamW", () => {
    const optimizer = new AdamW([tensor([1], { requiresGrad: true })]);
    const { params: _, ...hyperparameters } = optimizer.paramGroups[0];
    expect(hyperparameters).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false });
    expect(() => new AdamW([tensor([1], { requiresGrad: true })], { weightDecay: -1 })).toThrow(
      'AdamW: weightDecay must be a number in [0, Infinity], got -1',
    );
    expect(() => optimizer.loadStateDict({ ...optimizer.stateDict(), state: [] })).toThrow(
      'AdamW.loadStateDict: state dict has 0 parameters but the optimizer has 1',
    );
  });

  test.prop([fc.double({ min: 0.01, max: 0.5, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true })], {
    numRuns: 40,
  })('the decay is decoupled: with a zero gradient AdamW shrinks p by 1 - lr wd and Adam leaves it', (wd, value) => {
    const pw = tensor([value], { dtype: 'float64', requiresGrad: true });
    const pa = tensor([value], { dtype: 'float64', requiresGrad: true });
    const adamw = new AdamW([pw], { lr: 0.1, weightDecay: wd });
    const adam = new Adam([pa], { lr: 0.1 });
    pw.grad = tensor([0], { dtype: 'float64' });
    pa.grad = tensor([0], { dtype: 'float64' });
    adamw.step();
    adam.step();
    expect(pw.data[0]).toBeCloseTo(value * (1 - 0.1 * wd), 14);
    expect(pa.data[0]).toBe(value);
  });
});

describe('learning-rate schedules follow PyTorch 1.13', () => {
  test.each(fixture.schedules)('$scheduler: $name', (c) => {
    const optimizer = { lr: c.lr };
    const scheduler =
      c.scheduler === 'LinearLR'
        ? new LinearLR(optimizer, c.options as LinearLROptions)
        : new CosineAnnealingLR(optimizer, c.options as unknown as CosineAnnealingLROptions);
    const lrs = [optimizer.lr];
    for (let epoch = 1; epoch < c.lrs.length; epoch++) {
      scheduler.step();
      expect(scheduler.getLastLr()).toBe(optimizer.lr);
      lrs.push(optimizer.lr);
    }
    lrs.forEach((lr, epoch) => {
      expect(Math.abs(lr - c.lrs[epoch])).toBeLessThanOrEqual(1e-15 * c.lr);
    });
  });

  test.prop([fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 0.05, noNaN: true })], { numRuns: 40 })(
    'cosine annealing matches its closed form etaMin + (base - etaMin)(1 + cos(pi t / tMax)) / 2 over one period',
    (tMax, etaMin) => {
      const optimizer = { lr: 0.1 };
      const scheduler = new CosineAnnealingLR(optimizer, { tMax, etaMin });
      for (let t = 1; t <= 2 * tMax; t++) {
        scheduler.step();
        expect(optimizer.lr).toBeCloseTo(etaMin + ((0.1 - etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2, 12);
      }
    },
  );

  test('state dicts round-trip and resume the same sequence', () => {
    const a = { lr: 0.1 };
    const cosine = new CosineAnnealingLR(a, { tMax: 5 });
    cosine.step();
    cosine.step();
    const b = { lr: a.lr };
    const resumed = new CosineAnnealingLR(b, { tMax: 1 });
    resumed.loadStateDict(JSON.parse(JSON.stringify(cosine.stateDict())));
    cosine.step();
    resumed.step();
    expect(b.lr).toBe(a.lr);
    const c = { lr: 0.1 };
    const warmup = new LinearLR(c, { totalIters: 3 });
    warmup.step();
    const d = { lr: 0.1 };
    const resumedWarmup = new LinearLR(d);
    // As in PyTorch, the optimizer's own state dict restores its lr; the scheduler restores its counters.
    d.lr = c.lr;
    resumedWarmup.loadStateDict(warmup.stateDict());
    warmup.step();
    resumedWarmup.step();
    expect(d.lr).toBe(c.lr);
    expect(resumedWarmup.stateDict()).toEqual(warmup.stateDict());
  });

  test('errors name the scheduler, the argument and the value', () => {
    expect(() => new CosineAnnealingLR({ lr: 0.1 }, { tMax: 0 })).toThrow(
      'CosineAnnealingLR: tMax must be a positive integer, got 0',
    );
    expect(() => new LinearLR({ lr: 0.1 }, { startFactor: 0 })).toThrow(
      'LinearLR: startFactor must be a number in (0, 1], got 0',
    );
    expect(() => new LinearLR({ lr: 0.1 }, { endFactor: 2 })).toThrow(
      'LinearLR: endFactor must be a number in [0, 1], got 2',
    );
  });
});
