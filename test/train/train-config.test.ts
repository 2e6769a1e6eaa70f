import { describe, expect, test } from 'vitest';
import { defaultTrainConfig, mergeTrainConfig, type TrainData } from '../../src/train/index.js';

const data: TrainData = { kind: 'synthetic', identities: 4, imagesPerIdentity: 2, seed: 0, variation: 1 };

describe('mergeTrainConfig', () => {
  test('later layers win over earlier ones and over the reference recipe defaults', () => {
    const config = mergeTrainConfig(data, [{ lr: 0.5, epochs: 3 }, { lr: 0.2 }]);
    expect(config).toEqual({ ...defaultTrainConfig(data), lr: 0.2, epochs: 3 });
  });

  test('margin and resize side follow metric and input size unless a layer sets them', () => {
    const derived = mergeTrainConfig(data, [{ metric: 'cosface', inputSize: 64 }]);
    expect(derived.margin).toBe(0.4);
    expect(derived.resizeSide).toBe(72);
    const explicit = mergeTrainConfig(data, [{ metric: 'cosface', margin: 0.3, inputSize: 64, resizeSide: 70 }]);
    expect(explicit.margin).toBe(0.3);
    expect(explicit.resizeSide).toBe(70);
  });

  test('an invalid merged value is an error naming the source and the field', () => {
    expect(() => mergeTrainConfig(data, [{ batchSize: 0 }], 'config (x.json and flags)')).toThrow(
      /^config \(x\.json and flags\): batchSize must be an integer in \[\d+, /,
    );
  });

  test('an embedding wider than the bound is refused before any weight is allocated', () => {
    expect(() => mergeTrainConfig(data, [{ embeddingSize: 100_000 }], 'config')).toThrow(
      /^config: embeddingSize must be an integer in \[1, 8192\], got 100000$/,
    );
  });
});
