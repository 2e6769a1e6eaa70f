import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { gt, where } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { broadcastPairArb, randomTensor, seedArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

describe('where', () => {
  test.prop([broadcastPairArb(), broadcastPairArb(2), seedArb], { numRuns: 80 })(
    'gradient equals central finite differences when cond, a and b broadcast (float64)',
    ([shapeA, shapeB], [shapeC], seed) => {
      const a = randomTensor(shapeA, seed);
      const b = randomTensor(shapeB, seed + 1);
      const cond = gt(randomTensor(shapeC, seed + 2, { requiresGrad: false }), 0);
      // cond's shape is independent of a's and b's; skip combinations that do not broadcast.
      fc.pre(canBroadcast(cond.shape, a.shape) && canBroadcast(cond.shape, b.shape));
      gradcheck((x, y) => where(cond, x, y), [a, b]);
    },
  );

  test('picks a where cond is non-zero and b elsewhere; gradients follow the choice', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([[10], [20]], { requiresGrad: true });
    const out = where(tensor([1, 0, 1]), a, b);
    expect(out.toArray()).toEqual([
      [1, 10, 3],
      [1, 20, 3],
    ]);
    out.sum().backward();
    expect(Array.from(a.grad?.data ?? [])).toEqual([2, 0, 2]);
    expect(b.grad?.toArray()).toEqual([[1], [1]]);
  });

  test('number operands take the tensor dtype', () => {
    const out = where(tensor([0, 1]), tensor([5, 6], { dtype: 'float64' }), 0);
    expect(out.dtype).toBe('float64');
    expect(Array.from(out.data)).toEqual([0, 6]);
  });

  test('rejects a cond that does not broadcast, naming the op and shapes', () => {
    expect(() => where(tensor([1, 0, 1]), tensor([1, 2]), 0)).toThrow('where: shapes [3] and [2] cannot be broadcast');
  });
});

function canBroadcast(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const x = a[a.length - i];
    const y = b[b.length - i];
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
}
