import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { crossEntropy, focalLoss } from '../../src/losses/index.js';
import { tensor } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

/** Logits [batch, classes] scaled up to 40 (the range of s = 30 heads) with matching labels. */
const lossProblemArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 4 }),
    classes: fc.integer({ min: 1, max: 5 }),
    seed: seedArb,
    scale: fc.double({ min: 0.1, max: 40, noNaN: true }),
  })
  .chain(({ batch, classes, seed, scale }) =>
    fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: batch, maxLength: batch }).map((labels) => {
      const logits = randomTensor([batch, classes], seed);
      return {
        logits: tensor(
          Array.from(logits.data).map((v) => v * scale),
          { shape: [batch, classes], dtype: 'float64', requiresGrad: true },
        ),
        labels,
      };
    }),
  );

describe('focal loss against cross-entropy', () => {
  test.prop([lossProblemArb], { numRuns: 200 })(
    'focal loss with gamma 0 equals cross-entropy',
    ({ logits, labels }) => {
      expect(focalLoss(logits, labels, { gamma: 0 }).item()).toBeCloseTo(crossEntropy(logits, labels).item(), 12);
    },
  );

  test.prop([lossProblemArb, fc.double({ min: 0, max: 5, noNaN: true })], { numRuns: 200 })(
    'focal loss never exceeds cross-entropy, per sample and on average',
    ({ logits, labels }, gamma) => {
      const focal = focalLoss(logits, labels, { gamma, reduction: 'none' });
      const ce = crossEntropy(logits, labels, { reduction: 'none' });
      focal.data.forEach((v, i) => {
        expect(v).toBeLessThanOrEqual(ce.data[i]);
      });
      expect(focalLoss(logits, labels, { gamma }).item()).toBeLessThanOrEqual(crossEntropy(logits, labels).item());
    },
  );

  test.prop([lossProblemArb], { numRuns: 200 })(
    'cross-entropy is finite and >= 0 for logits up to |40| and beyond',
    ({ logits, labels }) => {
      const big = tensor(
        Array.from(logits.data).map((v) => v * 30),
        { shape: logits.shape, dtype: 'float32' },
      );
      for (const loss of crossEntropy(big, labels, { reduction: 'none' }).data) {
        expect(Number.isFinite(loss)).toBe(true);
        expect(loss).toBeGreaterThanOrEqual(0);
      }
    },
  );
});

describe('loss gradients equal central finite differences (float64)', () => {
  test.prop([lossProblemArb, fc.constantFrom('mean', 'sum', 'none' as const)], { numRuns: 100 })(
    'crossEntropy, every reduction',
    ({ logits, labels }, reduction) => {
      gradcheck((x) => crossEntropy(x, labels, { reduction }), [logits]);
    },
  );

  test.prop([lossProblemArb, fc.double({ min: 0, max: 4, noNaN: true })], { numRuns: 100 })(
    'focalLoss for gamma in [0, 4]',
    ({ logits, labels }, gamma) => {
      // (1 - p)^gamma is not differentiable at p = 1 for gamma < 1; stay where finite differences are meaningful.
      const p = crossEntropy(logits, labels, { reduction: 'none' }).data.map((v) => Math.exp(-v));
      fc.pre(gamma >= 1 || p.every((v) => 1 - v > 1e-3));
      gradcheck((x) => focalLoss(x, labels, { gamma }), [logits]);
    },
  );
});

describe('loss input validation', () => {
  const logits = tensor([
    [1, 2, 3],
    [0, 0, 1],
  ]);
  test('labels are checked against the class count and the batch', () => {
    expect(() => crossEntropy(logits, [0, 3])).toThrow('crossEntropy: labels 3 out of range for 3 classes');
    expect(() => crossEntropy(logits, [0])).toThrow('crossEntropy: got 1 labels for a batch of 2');
    expect(() => focalLoss(logits, [0, 1.5])).toThrow('focalLoss: labels must hold integers, got 1.5');
    expect(() => crossEntropy(tensor([1, 2]), [0])).toThrow(
      'crossEntropy: logits must be a 2-D tensor [batch, classes], got [2]',
    );
  });
  test('options are checked', () => {
    expect(() => focalLoss(logits, [0, 1], { gamma: -1 })).toThrow(
      'focalLoss: gamma must be a finite number >= 0, got -1',
    );
    expect(() => crossEntropy(logits, [0, 1], { reduction: 'avg' as never })).toThrow(
      "crossEntropy: reduction must be 'mean', 'sum' or 'none', got 'avg'",
    );
  });
  test('labels may be a number array, an Int32Array or an integer tensor', () => {
    const expected = crossEntropy(logits, [2, 0]).item();
    expect(crossEntropy(logits, Int32Array.from([2, 0])).item()).toBe(expected);
    expect(crossEntropy(logits, tensor([2, 0])).item()).toBe(expected);
  });
});
