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

/** Options a backend factory understands (the gpu backend: mode, minFlops, kernel cache limits). */
export interface BackendOptions {
  /** gpu.js mode: 'gpu' (auto), 'headlessgl', 'webgl2', 'webgl', 'webgpu', 'webasm' or 'cpu'. */
  mode?: string;
  /** Problems under this many floating-point operations run on the CPU kernels. */
  minFlops?: number;
  /** How many shape-specialised kernels stay compiled. */
  kernelCacheSize?: number;
  /** How many float32 elements the cached kernels' textures may hold together. */
  kernelCacheElements?: number;
}

/** What the active backend is and what actually ran, as reported by backendInfo(). */
export interface BackendInfo {
  /** Registered name: 'cpu' or 'gpu'. */
  name: string;
  /** The gpu.js mode that was asked for (null for backends without modes). */
  mode: string | null;
  /** The class whose kernels run: a gpu.js class (HeadlessGLKernel, WebAssemblyKernel, ...) or the CPU loops. */
  kernelClass: string;
  /** Why the backend runs something other than what was asked for, or null. */
  fallbackReason: string | null;
  /** A software renderer behind the GL context (llvmpipe), or null. */
  renderer: string | null;
  /** Crossover: problems under this many FLOPs run on the CPU kernels. */
  minFlops: number;
  /** Kernel calls per class that ran them, e.g. { HeadlessGLKernel: 12, 'cpu (below crossover)': 3 }. */
  calls: Readonly<Record<string, number>>;
  /** Shape-specialised kernels compiled so far and alive now. */
  compiledKernels: number;
  cachedKernels: number;
  /** One line for logs. */
  summary: string;
}

/** A backend that can report what it is and release its resources. */
export interface DescribedBackend extends KernelBackend {
  /** What runs now: kernel class, fallback and its reason, calls per class. */
  describe(): BackendInfo;
  /** Releases the backend's resources (gpu.js contexts and compiled kernels). */
  dispose?(): Promise<void>;
}

/** Makes a backend from options; runs on first selection (and again when options are given). */
export type BackendFactory = (options: BackendOptions) => KernelBackend;
