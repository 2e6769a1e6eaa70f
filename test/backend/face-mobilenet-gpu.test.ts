import { afterAll, describe, expect, test } from 'vitest';
import type { GpuBackend } from '../../src/backend/gpu/gpu-backend.js';
import { headlessGlProblem } from '../../src/backend/gpu/gpujs.js';
import { backendInfo, setBackend } from '../../src/backend/registry.js';
import { FaceMobileNet } from '../../src/models/index.js';
import { mean, mul } from '../../src/ops/index.js';
import { manualSeed, randn } from '../../src/tensor/index.js';
import type { Tensor } from '../../src/tensor/tensor.js';

/**
 * FaceMobileNet forward and backward on the gpu backend equal the CPU backend: the same network,
 * input and loss, run once per backend; every parameter gradient is compared. gpu.js runs every
 * kernel here (minFlops 0), on headless-gl where a display exists, else on webasm.
 * Tolerance: |gpu - cpu| <= 1e-4 * max|cpu| + 1e-6 per tensor (float32 through ~50 layers; the
 * per-kernel bound of the kernel suite cannot be applied because the terms are not known here).
 */
const mode = headlessGlProblem() === null ? 'headlessgl' : 'webasm';
const relative = 1e-4;

afterAll(() => {
  setBackend('cpu');
});

function run(
  net: FaceMobileNet,
  x: Tensor,
  weights: Tensor,
): { output: Float32Array; grads: Map<string, Float32Array> } {
  net.zeroGrad();
  const output = net.forward(x);
  mean(mul(output, weights)).backward();
  const grads = new Map<string, Float32Array>();
  for (const [name, p] of net.namedParameters()) grads.set(name, Float32Array.from(p.grad?.data ?? []));
  return { output: Float32Array.from(output.data), grads };
}

function relativeError(got: Float32Array, expected: Float32Array): { error: number; scale: number } {
  let error = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    error = Math.max(error, Math.abs(got[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return { error, scale };
}

describe(`FaceMobileNet on the gpu backend (gpu.js mode '${mode}')`, () => {
  test(`64x64 input, batch 2, eval mode: output and all ${'parameter'} gradients equal the CPU backend`, () => {
    manualSeed(11);
    const net = new FaceMobileNet({ inputSize: 64, embeddingSize: 32, conv10Kernel: 'global' });
    // Eval mode: batch statistics of 2 samples make BatchNorm1d's output +-1 and its gradient ~0,
    // which would hide the convolution gradients this test is about.
    net.eval();
    const x = randn([2, 1, 64, 64]);
    const weights = randn([2, 32]);

    setBackend('cpu');
    const cpu = run(net, x, weights);
    const gpu = setBackend('gpu', { mode, minFlops: 0 }) as GpuBackend;
    const started = performance.now();
    const onGpu = run(net, x, weights);
    const elapsed = performance.now() - started;
    const info = backendInfo();
    console.log(
      `[face-mobilenet] ${info.summary}; forward+backward ${elapsed.toFixed(0)} ms (first call, with compiles)`,
    );

    const gpuCalls = Object.entries(info.calls).filter(([route]) => !route.startsWith('cpu'));
    expect(gpuCalls.length).toBe(1);
    expect(info.calls['cpu (below crossover)']).toBeUndefined();

    const failures: string[] = [];
    let worst = 0;
    const compare = (name: string, got: Float32Array, expected: Float32Array) => {
      const { error, scale } = relativeError(got, expected);
      worst = Math.max(worst, error / (scale || 1));
      if (!(error <= relative * scale + 1e-6)) failures.push(`${name}: error ${error} vs scale ${scale}`);
    };
    compare('output', onGpu.output, cpu.output);
    for (const [name, grad] of cpu.grads) compare(`grad ${name}`, onGpu.grads.get(name) as Float32Array, grad);
    console.log(
      `[face-mobilenet] ${cpu.grads.size} gradients compared; worst error / max|cpu| = ${worst.toExponential(2)}`,
    );
    expect(failures).toEqual([]);
    void gpu;
  });
});
