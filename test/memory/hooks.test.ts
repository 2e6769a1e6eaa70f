import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { crossEntropy } from '../../src/losses/index.js';
import { BufferPool } from '../../src/memory/index.js';
import { BatchNorm2d, Conv2d, Flatten, Linear, PReLU, Sequential } from '../../src/nn/index.js';
import { allocate, freshStorage } from '../../src/tensor/dtype.js';
import { manualSeed, type Tensor } from '../../src/tensor/index.js';
import { randomTensor, seedArb } from '../helpers/arbitraries.js';

/** A small convolutional model with the layers of FaceMobileNet's blocks: conv, batch norm, PReLU, depthwise conv. */
function makeModel(channels: number, seed: number): Sequential {
  manualSeed(seed);
  return new Sequential(
    new Conv2d(1, channels, 3, { padding: 1, bias: false }),
    new BatchNorm2d(channels),
    new PReLU(channels),
    new Conv2d(channels, channels, 3, { stride: 2, padding: 1, groups: channels, bias: false }),
    new BatchNorm2d(channels),
    new Flatten(),
    new Linear(channels * 3 * 3, 3),
  );
}

/** One SGD step in training mode: forward, cross-entropy, backward, update. */
function trainStep(model: Sequential, x: Tensor, labels: number[]): number {
  model.zeroGrad();
  const loss = crossEntropy(model.forward(x), labels);
  loss.backward();
  for (const p of model.parameters()) {
    const g = p.grad?.data as Float32Array;
    for (let i = 0; i < p.data.length; i++) p.data[i] -= 0.05 * g[i];
  }
  return loss.item();
}

/** Every parameter, its gradient and every buffer (batch norm's running statistics), as plain numbers. */
function snapshot(model: Sequential): number[][] {
  return [
    ...model.parameters().flatMap((p) => [Array.from(p.data), Array.from(p.grad?.data ?? [])]),
    ...model.buffers().map((b) => Array.from(b.data)),
  ];
}

describe('memory hooks of the tensor core', () => {
  test.prop([fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), seedArb], { numRuns: 12 })(
    'conv / batch norm / PReLU training steps in a pool are bit-identical to steps on fresh storage',
    (batch, channels, seed) => {
      const fresh = makeModel(channels, seed);
      const pooled = makeModel(channels, seed);
      const x = randomTensor([batch, 1, 6, 6], seed + 1, { dtype: 'float32' });
      const labels = Array.from({ length: batch }, (_, i) => (seed + i) % 3);
      const pool = new BufferPool();
      for (let step = 0; step < 3; step++) {
        const expected = trainStep(fresh, x, labels);
        const actual = pool.run(() => trainStep(pooled, x, labels));
        expect(actual).toBe(expected);
        expect(snapshot(pooled)).toEqual(snapshot(fresh));
      }
      expect(pool.pooledBytes).toBeGreaterThan(0);
    },
  );

  test('outside every pool run, allocate makes fresh private storage', () => {
    const storage = allocate('float32', 4);
    expect(storage.buffer).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(storage)).toEqual(Array.from(freshStorage('float32', 4)));
    expect(allocate('float64', 2)).toBeInstanceOf(Float64Array);
  });
});
