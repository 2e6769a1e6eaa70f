import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { prelu } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { awayFromZero } from './kink-free.js';

const dimSize = fc.integer({ min: 1, max: 3 });
/** [N, C, ...spatial] shapes with 0 to 2 spatial dims. */
const inputShapeArb = fc
  .tuple(dimSize, dimSize, fc.array(dimSize, { maxLength: 2 }))
  .map(([n, c, spatial]) => [n, c, ...spatial]);

describe('prelu', () => {
  // The kink is at x = 0: every element keeps |x| >= 0.1.
  test.prop([inputShapeArb, fc.boolean(), seedArb], { numRuns: 80 })(
    'gradients for input and slopes equal central finite differences, per-channel or shared slope (float64)',
    (shape, perChannel, seed) => {
      const x = awayFromZero(shape, seed);
      const weight = randomTensor([perChannel ? shape[1] : 1], seed + 1, { low: 0, high: 0.5 });
      gradcheck(prelu, [x, weight]);
    },
  );

  test('applies one slope per channel along dim 1 and accumulates each slope gradient over its channel', () => {
    const x = tensor(
      [
        [
          [-1, 2],
          [-3, -4],
        ],
      ],
      { requiresGrad: true },
    );
    const weight = tensor([0.5, 0.25], { requiresGrad: true });
    const y = prelu(x, weight);
    expect(y.toArray()).toEqual([
      [
        [-0.5, 2],
        [-0.75, -1],
      ],
    ]);
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual([
      [
        [0.5, 1],
        [0.25, 0.25],
      ],
    ]);
    expect(Array.from(weight.grad?.data ?? [])).toEqual([-1, -7]);
  });

  test('rejects a slope count that is neither 1 nor the channel count', () => {
    expect(() => prelu(tensor([[1, 2, 3, 4]]), tensor([0.1, 0.2, 0.3]))).toThrow(
      'prelu: weight has 3 elements but input [1, 4] has 4 channels (dim 1); expected 1 or the channel count',
    );
    expect(() => prelu(tensor([[1, 2]]), tensor([[0.1, 0.2]]))).toThrow('prelu: weight must be 1-D, got shape [1, 2]');
  });
});
