import type { Storage } from '../tensor/dtype.js';

/**
 * The kernel interface: the named kernels a backend can supply (the op/kernel split of
 * TensorFlow.js's kernel registry). An op states its math once and hands the loops to a kernel; a
 * backend implements the kernels it can speed up, and the CPU reference runs the rest. Ops
 * without a kernel are written once in plain TypeScript.
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

/**
 * Batch normalisation over an NCHW tensor, whose memory is `batch` blocks of `channels` contiguous
 * planes of `inner` elements. Per-channel values are float64 whatever the storage.
 */
export interface BatchNormForwardProblem {
  x: Storage;
  /** Overwritten with (x - mean) * invStd * weight + bias. */
  out: Storage;
  batch: number;
  channels: number;
  inner: number;
  /** true: the batch's statistics are computed into mean, invStd and squaredDeviations; false: mean and invStd are read. */
  training: boolean;
  eps: number;
  /** Per-channel scale and shift, or null for 1 and 0. */
  weight: Storage | null;
  bias: Storage | null;
  mean: Float64Array;
  invStd: Float64Array;
  /** Training only: per channel, the sum of squared deviations from the mean (the running variance needs it). */
  squaredDeviations: Float64Array;
}

/** The gradients of batch normalisation, for the statistics its forward used. */
export interface BatchNormBackwardProblem {
  gradOutput: Storage;
  x: Storage;
  /** Overwritten with the input gradient, or null when the input needs none. */
  gradInput: Storage | null;
  batch: number;
  channels: number;
  inner: number;
  /** Whether the forward used the batch's statistics (then they depend on x too). */
  training: boolean;
  weight: Storage | null;
  mean: Float64Array;
  invStd: Float64Array;
  /** Zeroed on entry; receives sum(gradOutput) per channel (the bias gradient). */
  gradBias: Float64Array;
  /** Zeroed on entry; receives sum(gradOutput * xhat) per channel (the weight gradient). */
  gradWeight: Float64Array;
}

/** Parametric ReLU over `outer` blocks of `channels` planes of `inner` elements; `weight` holds 1 or `channels` slopes. */
export interface PreluProblem {
  x: Storage;
  weight: Storage;
  /** Overwritten with x where x > 0, else slope * x. */
  out: Storage;
  outer: number;
  channels: number;
  inner: number;
}

/** The gradients of parametric ReLU. */
export interface PreluBackwardProblem {
  gradOutput: Storage;
  x: Storage;
  weight: Storage;
  /** Overwritten with the input gradient, or null when the input needs none. */
  gradInput: Storage | null;
  /** Zeroed on entry, one float64 sum per slope; null when the slopes need no gradient. */
  gradWeight: Float64Array | null;
  outer: number;
  channels: number;
  inner: number;
}

/** The arithmetic ops that run as the `binary` kernel. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

/** out = a op b elementwise, each operand broadcast (NumPy rules) to out's shape. */
export interface BinaryProblem {
  op: BinaryOp;
  a: Storage;
  aShape: readonly number[];
  b: Storage;
  bShape: readonly number[];
  /** Overwritten; outShape is the broadcast of aShape and bShape. */
  out: Storage;
  outShape: readonly number[];
}

/**
 * The reduction behind sums, means and every broadcast's gradient: x summed over the dimensions
 * where outShape (which broadcasts to xShape) is 1 or missing.
 */
export interface SumToShapeProblem {
  x: Storage;
  xShape: readonly number[];
  /** Overwritten; a float64 `out` accumulates float32 input in float64. */
  out: Storage;
  outShape: readonly number[];
}

/**
 * Every named kernel. Outputs are written into caller-allocated storage. An op calls a kernel by
 * name through runKernel (registry.ts), which runs the active backend's implementation, or the
 * CPU reference's where the backend has none, and counts which ran.
 */
export interface Kernels {
  /** out = op(A) @ op(B) per batch; `out` is overwritten. */
  matmul(problem: MatmulProblem): void;
  /** Convolution forward: out[N, outC, outH, outW] is overwritten. */
  conv2dForward(input: Storage, weight: Storage, out: Storage, geometry: Conv2dGeometry): void;
  /** Gradient of the convolution with respect to its input; `gradInput` is overwritten. */
  conv2dBackwardInput(gradOutput: Storage, weight: Storage, gradInput: Storage, geometry: Conv2dGeometry): void;
  /** Gradient of the convolution with respect to its weight; `gradWeight` is overwritten. */
  conv2dBackwardWeight(input: Storage, gradOutput: Storage, gradWeight: Storage, geometry: Conv2dGeometry): void;
  batchNormForward(problem: BatchNormForwardProblem): void;
  batchNormBackward(problem: BatchNormBackwardProblem): void;
  prelu(problem: PreluProblem): void;
  preluBackward(problem: PreluBackwardProblem): void;
  /** Elementwise add, sub, mul or div under broadcasting. */
  binary(problem: BinaryProblem): void;
  /** Sums over broadcast dimensions. */
  sumToShape(problem: SumToShapeProblem): void;
}

/** A kernel's name, as runKernel and backendInfo().kernels know it. */
export type KernelName = keyof Kernels;

/** The heavy kernels every backend supplies; it may supply any of the others too. */
export type RequiredKernel = 'matmul' | 'conv2dForward' | 'conv2dBackwardInput' | 'conv2dBackwardWeight';

/** A backend: its name, the four heavy kernels, and whichever other kernels it implements. */
export interface KernelBackend extends Pick<Kernels, RequiredKernel>, Partial<Omit<Kernels, RequiredKernel>> {
  /** Short name used by setBackend and in reports: 'cpu' or 'gpu'. */
  readonly name: string;
}

/** A backend with every kernel: the CPU backend and the CPU reference. */
export interface CompleteBackend extends Kernels {
  readonly name: string;
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
  /** The renderer behind the GL context where it is known: Mesa llvmpipe under Node, the WebGL renderer in a browser; else null. */
  renderer: string | null;
  /** Crossover: problems under this many FLOPs run on the CPU kernels. */
  minFlops: number;
  /** Kernel calls per class that ran them, e.g. { HeadlessGLKernel: 12, 'cpu (below crossover)': 3 }. */
  calls: Readonly<Record<string, number>>;
  /** Per named kernel, which implementation ran it and how often since the backend was selected. */
  kernels: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Shape-specialised kernels compiled so far and alive now. */
  compiledKernels: number;
  cachedKernels: number;
  /** One line for logs. */
  summary: string;
}

/** What a backend says of itself; backendInfo() adds the named kernels' counts. */
export type BackendDescription = Omit<BackendInfo, 'kernels'>;

/** A backend that can report what it is and release its resources. */
export interface DescribedBackend extends KernelBackend {
  /** What runs now: kernel class, fallback and its reason, calls per class. */
  describe(): BackendDescription;
  /** Releases the backend's resources (gpu.js contexts and compiled kernels). */
  dispose?(): Promise<void>;
}

/** Makes a backend from options; runs on first selection (and again when options are given). */
export type BackendFactory = (options: BackendOptions) => KernelBackend;
