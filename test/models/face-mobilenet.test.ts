import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FaceMobileNet, faceMobileNetGeometry } from '../../src/models/index.js';
import { mean, mul } from '../../src/ops/index.js';
import { manualSeed, randn } from '../../src/tensor/index.js';

// The reference recipe's keys and shapes, printed by `torch_reference.py keys` (../shared/seed), copied here so CI needs no PyTorch.
const seedKeys = readFileSync(new URL('../fixtures/parity/facemobilenet_state_dict_keys.txt', import.meta.url), 'utf8')
  .trim()
  .split('\n');

describe('FaceMobileNet', () => {
  test("state dict has exactly the reference recipe's 332 keys and shapes, in order", () => {
    const lines = [...new FaceMobileNet().stateDict()].map(([key, t]) => `${key} [${t.shape.join(', ')}]`);
    expect(lines).toHaveLength(332);
    expect(lines).toEqual(seedKeys);
  });

  test('has 1,985,728 parameters at the defaults', () => {
    expect(new FaceMobileNet().numParameters()).toBe(1_985_728);
  });

  test('derives the linear input from inputSize: 2048 at 128, 512 at 112', () => {
    expect(new FaceMobileNet({ inputSize: 128 }).linear.weight.shape).toEqual([512, 2048]);
    expect(new FaceMobileNet({ inputSize: 112, embeddingSize: 64 }).linear.weight.shape).toEqual([64, 512]);
    expect(faceMobileNetGeometry(113)).toEqual({ featureSide: 8, kernel: 7, outputSide: 2 });
    expect(faceMobileNetGeometry(97)).toEqual({ featureSide: 7, kernel: 7, outputSide: 1 });
  });

  test('rejects input sizes where the 7x7 conv10 cannot apply, suggesting the global kernel', () => {
    expect(() => new FaceMobileNet({ inputSize: 96 })).toThrow(
      "FaceMobileNet: inputSize 96 gives a 6x6 feature map before conv10, smaller than its 7x7 kernel; use inputSize >= 97 or conv10Kernel: 'global'",
    );
    expect(() => new FaceMobileNet({ inputSize: 0 })).toThrow('inputSize must be a positive integer, got 0');
  });

  test("conv10Kernel 'global' makes conv10 span the whole feature map, so small inputs work", () => {
    manualSeed(1);
    const net = new FaceMobileNet({ inputSize: 32, embeddingSize: 8, conv10Kernel: 'global' });
    expect(net.conv10.stateDict().get('net.0.weight')?.shape).toEqual([512, 1, 2, 2]);
    expect(net.linear.weight.shape).toEqual([8, 512]);
    const out = net.forward(randn([2, 1, 32, 32]));
    expect(out.shape).toEqual([2, 8]);
    expect(out.data.every(Number.isFinite)).toBe(true);
  });

  test('forward rejects a wrong input shape naming the expected one', () => {
    const net = new FaceMobileNet({ inputSize: 32, embeddingSize: 8, conv10Kernel: 'global' });
    expect(() => net.forward(randn([2, 3, 32, 32]))).toThrow(
      'FaceMobileNet: expected input of shape [N, 1, 32, 32], got [2, 3, 32, 32]',
    );
  });

  test('backward reaches every parameter with a finite gradient; train mode updates BatchNorm buffers', () => {
    manualSeed(2);
    const net = new FaceMobileNet({ inputSize: 32, embeddingSize: 8, conv10Kernel: 'global' });
    const x = randn([2, 1, 32, 32]);
    const out = net.forward(x);
    mean(mul(out, randn([2, 8]))).backward();
    for (const [name, p] of net.namedParameters()) {
      expect(p.grad, name).not.toBeNull();
      expect(p.grad?.data.every(Number.isFinite), name).toBe(true);
    }
    const tracked = net.namedBuffers().filter(([name]) => name.endsWith('num_batches_tracked'));
    expect(tracked).toHaveLength(50);
    expect(tracked.every(([, t]) => t.item() === 1)).toBe(true);
  });
});
