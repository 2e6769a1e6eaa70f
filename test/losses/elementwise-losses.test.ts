import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { binaryCrossEntropyWithLogits, l1Loss, mseLoss, type Reduction } from '../../src/losses/index.js';
import { sigmoid } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { randomTensor, seedArb, shapeArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { awayFromZero } from '../ops/kink-free.js';

const reductionArb = fc.constantFrom<Reduction>('mean', 'sum', 'none');

describe('elementwise losses: gradients for input and target equal central finite differences (float64)', () => {
  test.prop([shapeArb(), seedArb, reductionArb], { numRuns: 40 })('mseLoss', (shape, seed, reduction) => {
    gradcheck((x, y) => mseLoss(x, y, { reduction }), [randomTensor(shape, seed), randomTensor(shape, seed + 1)]);
  });

  // l1 has a kink where input = target: the target is the input minus a difference with |d| >= 0.1.
  test.prop([shapeArb(), seedArb, reductionArb], { numRuns: 40 })(
    'l1Loss away from input = target',
    (shape, seed, reduction) => {
      const x = randomTensor(shape, seed);
      const y = x.sub(awayFromZero(shape, seed + 1)).detach();
      y.requiresGrad = true;
      gradcheck((a, b) => l1Loss(a, b, { reduction }), [x, y]);
    },
  );

  test.prop([shapeArb(), seedArb, reductionArb], { numRuns: 40 })(
    'binaryCrossEntropyWithLogits with soft targets',
    (shape, seed, reduction) => {
      const logits = randomTensor(shape, seed, { low: -8, high: 8 });
      const target = randomTensor(shape, seed + 1, { low: 0, high: 1 });
      gradcheck((x, y) => binaryCrossEntropyWithLogits(x, y, { reduction }), [logits, target]);
    },
  );
});

describe('elementwise losses forward', () => {
  test.prop([shapeArb(1), seedArb], { numRuns: 40 })(
    'binaryCrossEntropyWithLogits equals -(y log p + (1 - y) log(1 - p)) for moderate logits',
    (shape, seed) => {
      const logits = randomTensor(shape, seed, { requiresGrad: false });
      const target = randomTensor(shape, seed + 1, { low: 0, high: 1, requiresGrad: false });
      const p = sigmoid(logits).data;
      const loss = binaryCrossEntropyWithLogits(logits, target, { reduction: 'none' }).data;
      for (let i = 0; i < p.length; i++) {
        const y = target.data[i];
        expect(loss[i]).toBeCloseTo(-(y * Math.log(p[i]) + (1 - y) * Math.log(1 - p[i])), 12);
      }
    },
  );

  test('binaryCrossEntropyWithLogits stays finite for logits of magnitude 1000 (float32)', () => {
    const logits = tensor([1000, -1000, 1000, -1000], { requiresGrad: true });
    const loss = binaryCrossEntropyWithLogits(logits, tensor([1, 0, 0, 1]), { reduction: 'none' });
    expect(Array.from(loss.data)).toEqual([0, 0, 1000, 1000]);
    loss.sum().backward();
    expect(Array.from(logits.grad?.data ?? [])).toEqual([0, 0, 1, -1]);
  });

  test('mean divides the sum by the element count; l1Loss passes zero gradient where input = target', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const y = tensor(
      [
        [1, 0],
        [5, 4],
      ],
      { dtype: 'float64' },
    );
    expect(mseLoss(x, y, { reduction: 'sum' }).item()).toBe(8);
    expect(mseLoss(x, y).item()).toBe(2);
    expect(l1Loss(x, y).item()).toBe(1);
    l1Loss(x, y, { reduction: 'sum' }).backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual([0, 1, -1, 0]);
  });

  test('the losses name themselves and both shapes when input and target differ', () => {
    const x = tensor([[1], [2]]);
    expect(() => mseLoss(x, tensor([1, 2]))).toThrow(
      'mseLoss: target has shape [2] but input has shape [2, 1]; they must match',
    );
    expect(() => l1Loss(x, tensor([1]))).toThrow('l1Loss: target has shape [1]');
    expect(() => binaryCrossEntropyWithLogits(x, [1, 0] as never)).toThrow(
      'binaryCrossEntropyWithLogits: target must be a tensor, got 1,0',
    );
    expect(() => mseLoss(x, x, { reduction: 'avg' as Reduction })).toThrow(
      "mseLoss: reduction must be 'mean', 'sum' or 'none', got 'avg'",
    );
  });
});
