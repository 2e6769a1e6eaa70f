import type { Storage } from '../tensor/dtype.js';

/**
 * The kernel interface: the few heavy kernels a backend supplies. Every other op is written once
 * in plain TypeScript on top of these, so a new backend only adds these forward kernels
 * (the op/kernel split of TensorFlow.js's kernel registry).
 */

/**
 * A batched matrix product out[b] = op(A[b]) @ op(B[b]) where op transposes when asked.
 * A[b] is m x k (k x m when transposeA), B[b] is k x n (n x k when transposeB), out[b] is m x n.
 * A batch stride of 0 broadcasts one matrix over the batch.
 */
export interface MatmulProblem {
  a: Storage;
  b: Storage;
  out: Storage;
  batch: number;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  aBatchStride: number;
  bBatchStride: number;
}

/** The geometry of one NCHW convolution (weights [outChannels, inChannels / groups, kernelH, kernelW]). */
export interface Conv2dGeometry {
  batch: number;
  inChannels: number;
  inHeight: number;
  inWidth: number;
  outChannels: number;
  kernelHeight: number;
  kernelWidth: number;
  strideHeight: number;
  strideWidth: number;
  paddingHeight: number;
  paddingWidth: number;
  groups: number;
  outHeight: number;
  outWidth: number;
}

/** The kernels every backend implements. Outputs are written into caller-allocated storage. */
export interface KernelBackend {
  /** Short name used by setBackend and in reports: 'cpu' or 'gpu'. */
  readonly name: string;
  /** out = op(A) @ op(B) per batch; `out` is overwritten. */
  matmul(problem: MatmulProblem): void;
  /** Convolution forward: out[N, outC, outH, outW] is overwritten. */
  conv2dForward(input: Storage, weight: Storage, out: Storage, geometry: Conv2dGeometry): void;
  /** Gradient of the convolution with respect to its input; `gradInput` is overwritten. */
  conv2dBackwardInput(gradOutput: Storage, weight: Storage, gradInput: Storage, geometry: Conv2dGeometry): void;
  /** Gradient of the convolution with respect to its weight; `gradWeight` is overwritten. */
  conv2dBackwardWeight(input: Storage, gradOutput: Storage, gradWeight: Storage, geometry: Conv2dGeometry): void;
}
