import { conv2dBackwardInputChunk } from './conv2d-backward-input.js';
import { conv2dBackwardWeightChunk } from './conv2d-backward-weight.js';
import { conv2dForwardChunk } from './conv2d-forward.js';
import type { KernelThis, Volume } from './gpujs.js';
import type { GpuKernelName } from './kernel-runner.js';
import { matmulChunk } from './matmul.js';

/**
 * Every gpu.js kernel function by name: a worker that runs kernels for another thread (the WebGPU
 * worker) receives a name, since functions cannot cross threads, and finds the same source here.
 */
export const gpuKernelSources: { readonly [Name in GpuKernelName]: (this: KernelThis, ...args: Volume[]) => number } = {
  matmul: matmulChunk,
  conv2dForward: conv2dForwardChunk,
  conv2dBackwardInput: conv2dBackwardInputChunk,
  conv2dBackwardWeight: conv2dBackwardWeightChunk,
};
