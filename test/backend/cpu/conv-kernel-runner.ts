import { conv2dBackwardInputCpu, conv2dBackwardWeightCpu, conv2dForwardCpu } from '../../../src/backend/cpu/conv2d.js';
import {
  conv2dBackwardInputReference,
  conv2dBackwardWeightReference,
  conv2dForwardReference,
} from '../../../src/backend/cpu/reference/index.js';
import type { Conv2dGeometry } from '../../../src/backend/kernels.js';
import { allocate, type FloatDType, type FloatStorage } from '../../../src/tensor/dtype.js';
import { firstMismatch, tolerances, uniformStorage } from './problems.js';

/** The three convolution kernels' outputs for one geometry and seed. */
export interface ConvOutputs {
  forward: FloatStorage;
  backwardInput: FloatStorage;
  backwardWeight: FloatStorage;
}

/** Runs forward, input gradient and weight gradient with the optimised kernels (fast) or the reference loops. */
export function runConv(g: Conv2dGeometry, dtype: FloatDType, seed: number, which: 'fast' | 'reference'): ConvOutputs {
  const inputSize = g.batch * g.inChannels * g.inHeight * g.inWidth;
  const weightSize = g.outChannels * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth;
  const outputSize = g.batch * g.outChannels * g.outHeight * g.outWidth;
  const input = uniformStorage(dtype, inputSize, seed);
  const weight = uniformStorage(dtype, weightSize, seed + 1);
  const gradOutput = uniformStorage(dtype, outputSize, seed + 2);
  // Non-zero garbage in the outputs: every kernel must overwrite, not accumulate.
  const forward = allocate(dtype, outputSize).fill(7);
  const backwardInput = allocate(dtype, inputSize).fill(7);
  const backwardWeight = allocate(dtype, weightSize).fill(7);
  if (which === 'fast') {
    conv2dForwardCpu(input, weight, forward, g);
    conv2dBackwardInputCpu(gradOutput, weight, backwardInput, g);
    conv2dBackwardWeightCpu(input, gradOutput, backwardWeight, g);
  } else {
    conv2dForwardReference(input, weight, forward, g);
    conv2dBackwardInputReference(gradOutput, weight, backwardInput, g);
    conv2dBackwardWeightReference(input, gradOutput, backwardWeight, g);
  }
  return { forward, backwardInput, backwardWeight };
}

/** The first mismatch between the optimised and reference kernels for a geometry, or null. */
export function convMismatch(g: Conv2dGeometry, dtype: FloatDType, seed: number): string | null {
  const fast = runConv(g, dtype, seed, 'fast');
  const reference = runConv(g, dtype, seed, 'reference');
  const { abs, rel } = tolerances[dtype];
  for (const kernel of ['forward', 'backwardInput', 'backwardWeight'] as const) {
    const mismatch = firstMismatch(fast[kernel], reference[kernel], abs, rel);
    if (mismatch !== null) return `${kernel}: ${mismatch}`;
  }
  return null;
}
