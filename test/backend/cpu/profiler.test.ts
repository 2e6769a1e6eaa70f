import { describe, expect, test } from 'vitest';
import { conv2d, matmul, relu, sum } from '../../../src/ops/index.js';
import { kernelTimerStart, profile } from '../../../src/tensor/profiler.js';
import { randomTensorOf } from './tensors.js';

/** A small conv net step: conv2d -> relu -> flatten-free matmul -> sum, then backward. */
function step(): number {
  const x = randomTensorOf([2, 3, 8, 8], 1, false);
  const w = randomTensorOf([4, 3, 3, 3], 2, true);
  const v = randomTensorOf([8, 5], 3, true);
  const loss = sum(matmul(relu(conv2d(x, w, { padding: 1 })), v));
  loss.backward();
  return loss.item();
}

describe('profile(fn)', () => {
  test('reports forward and backward time per op type and time per kernel, and returns fn result', () => {
    const { result, report } = profile(step);
    expect(Number.isFinite(result)).toBe(true);
    for (const op of ['conv2d', 'relu', 'matmul', 'sum']) {
      expect(report.forward.get(op)?.count, `forward ${op}`).toBe(1);
      expect(report.backward.get(op)?.count, `backward ${op}`).toBe(1);
    }
    const kernels = [...report.kernels.keys()];
    expect(kernels.some((k) => k.startsWith('conv2d.forward '))).toBe(true);
    expect(kernels.some((k) => k.startsWith('conv2d.backwardInput ') || k.startsWith('conv2d.backwardWeight '))).toBe(
      true,
    );
    // matmul forward, and its two gradients (dA and dB) inside the matmul backward closure.
    expect(report.kernels.get('matmul')?.count).toBe(3);
    const forward = [...report.forward.values()].reduce((t, e) => t + e.milliseconds, 0);
    const backward = [...report.backward.values()].reduce((t, e) => t + e.milliseconds, 0);
    expect(forward + backward + report.otherMilliseconds).toBeCloseTo(report.totalMilliseconds, 6);
    expect(report.format()).toMatch(/forward ops: [\d.]+ ms\n {2}\S+/);
  });

  test('ops run inside a gradient closure are not counted as forward ops', () => {
    const { report } = profile(step);
    // matmul's backward calls matmul kernels, not the matmul op; conv2d's backward calls no forward op either.
    expect(report.forward.get('matmul')?.count).toBe(1);
    expect(report.forward.get('conv2d')?.count).toBe(1);
  });

  test('each profile starts empty; with none running the kernel timer is off', () => {
    profile(step);
    const { report } = profile(() => 0);
    expect(report.forward.size + report.backward.size + report.kernels.size).toBe(0);
    expect(kernelTimerStart()).toBe(-1);
  });

  test('profiles do not nest, and a throwing fn leaves no profile running', () => {
    expect(() => profile(() => profile(() => 0))).toThrow(
      'profile: a profile is already running (profiles do not nest)',
    );
    expect(() =>
      profile(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(kernelTimerStart()).toBe(-1);
  });
});
