import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { crossEntropy } from '../../src/losses/index.js';
import { add, argmax, gather, matmul, mean, softmax } from '../../src/ops/index.js';
import { arange, full, manualSeed, rand, randint, randn, tensor, zeros } from '../../src/tensor/index.js';
import { Tensor } from '../../src/tensor/tensor.js';

describe('int32 holds labels, indices and argmax results', () => {
  test('creation stores the integers in Int32Array storage', () => {
    const labels = tensor([0, 2, 1], { dtype: 'int32' });
    expect(labels.dtype).toBe('int32');
    expect(labels.data).toBeInstanceOf(Int32Array);
    expect(labels.toArray()).toEqual([0, 2, 1]);
    expect(zeros([2], { dtype: 'int32' }).data).toEqual(new Int32Array(2));
    expect(full([2], -3, { dtype: 'int32' }).toArray()).toEqual([-3, -3]);
    expect(arange(4, undefined, 1, { dtype: 'int32' }).toArray()).toEqual([0, 1, 2, 3]);
    manualSeed(0);
    const drawn = randint(0, 5, [50], { dtype: 'int32' });
    expect(drawn.dtype).toBe('int32');
    expect(Array.from(drawn.data).every((v) => v >= 0 && v < 5)).toBe(true);
  });

  test.prop([fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 20 })])(
    'every int32 survives creation and conversion to float64 exactly',
    (values) => {
      const t = tensor(values, { dtype: 'int32' });
      expect(Array.from(t.data)).toEqual(values);
      expect(Array.from(t.clone('float64').data)).toEqual(values);
    },
  );

  test('values that int32 would change are errors, not silent truncation', () => {
    expect(() => tensor([1, 1.5], { dtype: 'int32' })).toThrow(
      'tensor: value at flat index 1 is 1.5, not an int32 (an integer in [-2^31, 2^31))',
    );
    expect(() => tensor([2 ** 31], { dtype: 'int32' })).toThrow('tensor: value at flat index 0 is 2147483648');
    expect(() => full([2], 0.5, { dtype: 'int32' })).toThrow('full: the fill value is 0.5, not an int32');
    expect(() => arange(0, 1, 0.25, { dtype: 'int32' })).toThrow('arange: step is 0.25, not an int32');
    expect(() => randint(0, 2 ** 32, [1], { dtype: 'int32' })).toThrow('randint: high - 1 is 4294967295');
    expect(() => tensor([1.5]).clone('int32')).toThrow('clone: cannot convert float32 to int32');
  });

  test('ops that only move elements keep int32', () => {
    const labels = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: 'int32' },
    );
    for (const moved of [labels.reshape([3, 2]), labels.transpose(0, 1), labels.flatten(), labels.unsqueeze(0)]) {
      expect(moved.dtype).toBe('int32');
    }
    expect(labels.transpose(0, 1).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });

  test('argmax returns int32 indices', () => {
    const indices = argmax(
      tensor([
        [1, 5, 2],
        [7, 0, 3],
      ]),
      1,
    );
    expect(indices.dtype).toBe('int32');
    expect(indices.toArray()).toEqual([1, 0]);
  });

  test('int32 prints as PyTorch prints integers, without a decimal point', () => {
    expect(
      String(
        tensor(
          [
            [1, -20],
            [300, 4],
          ],
          { dtype: 'int32' },
        ),
      ),
    ).toBe('tensor([[  1, -20],\n        [300,   4]], shape=[2, 2], dtype=int32)');
    expect(String(tensor(7, { dtype: 'int32' }))).toBe('tensor(7, shape=[], dtype=int32)');
  });

  test('converting to float keeps the values and joins the graph as any float tensor', () => {
    const labels = tensor([3, 1], { dtype: 'int32' });
    const asFloat = labels.clone('float32');
    expect(asFloat.dtype).toBe('float32');
    expect(asFloat.toArray()).toEqual([3, 1]);
    expect(asFloat.requiresGrad).toBe(false);
  });

  test('int32 indices select as float indices do', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const picked = gather(x, 1, tensor([[2], [0]], { dtype: 'int32' }));
    expect(picked.toArray()).toEqual(gather(x, 1, tensor([[2], [0]])).toArray());
    expect(picked.toArray()).toEqual([[3], [4]]);
  });

  test('int32 labels drive the losses as number arrays do', () => {
    manualSeed(1);
    const logits = randn([3, 4]);
    const fromInt32 = crossEntropy(logits, tensor([0, 3, 1], { dtype: 'int32' }));
    expect(fromInt32.item()).toBe(crossEntropy(logits, [0, 3, 1]).item());
  });
});

describe('float ops and gradients refuse int32, naming the op and the dtype', () => {
  const labels = () => tensor([1, 2], { dtype: 'int32' });
  test.each([
    ['add', () => add(labels(), tensor([1, 1]))],
    ['matmul', () => matmul(labels().reshape([1, 2]), tensor([[1], [1]]))],
    ['mean', () => mean(labels())],
    ['exp', () => labels().exp()],
    ['softmax', () => softmax(labels(), 0)],
  ])('%s', (op, run) => {
    expect(run).toThrow(`${op}: needs a float32 or float64 tensor, got int32 (convert with .clone('float32'))`);
  });

  test('random floats cannot be int32 and int32 cannot require gradients', () => {
    expect(() => rand([2], { dtype: 'int32' })).toThrow('rand: needs a float32 or float64 tensor, got int32');
    expect(() => new Tensor(new Int32Array(2), [2], true)).toThrow(
      'Tensor: only float32 and float64 tensors can require gradients, got int32',
    );
    expect(() => tensor([1], { dtype: 'int32', requiresGrad: true })).toThrow('can require gradients');
  });
});
