import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import '../../src/ops/shape-methods.js';
import { arange, tensor } from '../../src/tensor/index.js';

describe('Tensor shape methods delegate to the ops', () => {
  const x = arange(0, 6).reshape([2, 3]);

  test('reshape, view, flatten, squeeze and unsqueeze', () => {
    expect(x.shape).toEqual([2, 3]);
    expect(x.view([3, -1]).shape).toEqual([3, 2]);
    expect(x.unsqueeze(0).shape).toEqual([1, 2, 3]);
    expect(x.unsqueeze(0).squeeze().shape).toEqual([2, 3]);
    expect(x.unsqueeze(2).squeeze(2).shape).toEqual([2, 3]);
    expect(x.unsqueeze(1).flatten(1).shape).toEqual([2, 3]);
    expect(x.flatten().toArray()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('permute, transpose and T', () => {
    const expected = [
      [0, 3],
      [1, 4],
      [2, 5],
    ];
    expect(x.transpose(0, 1).toArray()).toEqual(expected);
    expect(x.permute([1, 0]).toArray()).toEqual(expected);
    expect(x.T.toArray()).toEqual(expected);
    expect(arange(0, 24).reshape([2, 3, 4]).T.shape).toEqual([4, 3, 2]);
  });

  test('expand, slice, indexSelect, gather and scatter', () => {
    expect(
      tensor([[1], [2]])
        .expand([-1, 3])
        .toArray(),
    ).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(x.slice(1, 1).toArray()).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(x.indexSelect(0, [1, 1]).toArray()).toEqual([
      [3, 4, 5],
      [3, 4, 5],
    ]);
    expect(x.gather(1, tensor([[2], [0]])).toArray()).toEqual([[2], [3]]);
    expect(x.scatter(1, tensor([[0], [1]]), 9).toArray()).toEqual([
      [9, 1, 2],
      [3, 9, 5],
    ]);
  });

  test('methods record gradients like the functions', () => {
    const w = tensor([1, 2, 3, 4], { requiresGrad: true });
    w.reshape([2, 2])
      .T.slice(0, 1)
      .backward(tensor([[10, 20]]));
    expect(w.grad?.toArray()).toEqual([0, 10, 0, 20]);
  });
});
