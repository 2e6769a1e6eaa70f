import { describe, expect, test } from 'vitest';
import { AvgPool2d, Dropout, LayerNorm, MaxPool2d, Sequential } from '../../src/nn/index.js';
import { avgPool2d, layerNorm, maxPool2d } from '../../src/ops/index.js';
import { tensor } from '../../src/tensor/index.js';
import { Generator } from '../../src/tensor/random.js';
import { randomTensor } from '../helpers/arbitraries.js';

describe('LayerNorm, Dropout and the pooling layers', () => {
  test("LayerNorm's state dict has PyTorch's keys and shapes, and loads them back", () => {
    const model = new Sequential(new LayerNorm([2, 3]), new LayerNorm(4, { elementwiseAffine: false }));
    const state = model.stateDict();
    expect([...state.keys()]).toEqual(['0.weight', '0.bias']);
    expect(state.get('0.weight')?.shape).toEqual([2, 3]);
    const weight = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    model.loadStateDict(
      new Map([
        ['0.weight', weight],
        [
          '0.bias',
          tensor([
            [0, 0, 0],
            [0, 0, 1],
          ]),
        ],
      ]),
    );
    expect(Array.from(state.get('0.weight')?.data ?? [])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('LayerNorm calls layerNorm with its parameters and eps; it behaves the same in eval', () => {
    const layer = new LayerNorm(3, { eps: 1e-3, dtype: 'float64' });
    layer.weight?.data.set([2, 1, 0.5]);
    const x = randomTensor([2, 3], 3, { requiresGrad: false });
    const expected = layerNorm(x, [3], { weight: layer.weight, bias: layer.bias, eps: 1e-3 }).data;
    expect(Array.from(layer.forward(x).data)).toEqual(Array.from(expected));
    expect(Array.from(layer.eval().forward(x).data)).toEqual(Array.from(expected));
    expect(() => new LayerNorm([0])).toThrow('LayerNorm: normalizedShape must be positive integers, got [0]');
  });

  test('Dropout drops in training with its own generator and is the identity in eval', () => {
    const x = randomTensor([50], 1, { requiresGrad: false });
    const first = new Dropout(0.5, new Generator(9)).forward(x).data;
    const second = new Dropout(0.5, new Generator(9)).forward(x).data;
    expect(Array.from(first)).toEqual(Array.from(second));
    expect(first.some((v) => v === 0)).toBe(true);
    const layer = new Dropout(0.5);
    expect(layer.eval().forward(x)).toBe(x);
    expect(() => new Dropout(-0.1)).toThrow('Dropout: p must be a probability in [0, 1], got -0.1');
  });

  test('MaxPool2d and AvgPool2d call the ops with their options', () => {
    const x = randomTensor([1, 2, 5, 5], 4, { requiresGrad: false });
    const options = { kernelSize: 3, stride: 2, padding: 1 };
    expect(Array.from(new MaxPool2d(options).forward(x).data)).toEqual(Array.from(maxPool2d(x, options).data));
    expect(Array.from(new AvgPool2d(options).forward(x).data)).toEqual(Array.from(avgPool2d(x, options).data));
  });
});
