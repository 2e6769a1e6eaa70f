import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { mul, sum } from '../../src/ops/index.js';
import { arange, full, ones, rand, type Tensor, tensor, zeros } from '../../src/tensor/index.js';
import { randomTensor, seedArb, shapeArb } from '../helpers/arbitraries.js';
import { gradcheck } from '../helpers/gradcheck.js';

describe('clone is differentiable, as in PyTorch', () => {
  test.prop([shapeArb(), seedArb], { numRuns: 40 })(
    'its gradient equals central finite differences (float64)',
    (shape, seed) => {
      gradcheck((x) => x.clone(), [randomTensor(shape, seed)]);
    },
  );

  test('a dtype conversion passes the gradient back in the source dtype', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.clone('float64');
    expect(y.dtype).toBe('float64');
    expect(y.gradFn?.op).toBe('clone');
    sum(mul(y, y)).backward();
    expect(x.grad?.dtype).toBe('float32');
    expect(x.grad?.toArray()).toEqual([2, 4, 6]);
  });

  test('detach().clone() is an independent copy outside the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const copy = x.detach().clone();
    expect(copy.requiresGrad).toBe(false);
    expect(copy.gradFn).toBeNull();
    copy.data[0] = 9;
    expect(x.toArray()).toEqual([1, 2]);
  });
});

describe('size and numel', () => {
  test('size is the element count (PyTorch numel), shape holds the dimensions', () => {
    const t = zeros([2, 3, 4]);
    expect(t.size).toBe(24);
    expect(t.numel()).toBe(24);
    expect(t.shape).toEqual([2, 3, 4]);
    expect(tensor(5).numel()).toBe(1);
  });
});

describe('an unsupported dtype is an error, never a silent float32', () => {
  // A JavaScript caller can pass any string; int64 (PyTorch's default integer) is the likely one.
  const make: [string, (dtype: never) => Tensor][] = [
    ['tensor', (dtype) => tensor([1, 2], { dtype })],
    ['full', (dtype) => full([2], 1, { dtype })],
    ['zeros', (dtype) => zeros([2], { dtype })],
    ['ones', (dtype) => ones([2], { dtype })],
    ['arange', (dtype) => arange(0, 3, 1, { dtype })],
    ['rand', (dtype) => rand([2], { dtype })],
    ['clone', (dtype) => tensor([1]).clone(dtype)],
  ];
  test.each(make)('%s rejects int64 and names the valid dtypes', (op, create) => {
    expect(() => create('int64' as never)).toThrow(
      `${op}: dtype must be one of 'float32', 'float64', 'int32', got "int64"`,
    );
  });

  test.prop([fc.string()])('any other name is rejected too', (name) => {
    fc.pre(name !== 'float32' && name !== 'float64' && name !== 'int32');
    expect(() => tensor([1], { dtype: name as never })).toThrow(
      "tensor: dtype must be one of 'float32', 'float64', 'int32'",
    );
  });
});
