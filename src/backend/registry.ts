import { cpuBackend } from './cpu/cpu-backend.js';
import { createGpuBackend } from './gpu/register.js';
import { hostBackendInfo } from './host-backend-info.js';
import type { KernelBackend } from './kernels.js';

/**
 * Backend selection. 'cpu' and 'gpu' are always registered; the gpu factory loads gpu.js (and
 * headless-gl) only when 'gpu' is first selected, so importing arcgrad stays cheap.
 * `ARCGRAD_BACKEND` picks the start-up backend; the gpu backend also reads ARCGRAD_GPU_MODE and
 * ARCGRAD_GPU_MIN_FLOPS.
 */

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

const factories = new Map<string, BackendFactory>([
  ['cpu', () => cpuBackend],
  ['gpu', createGpuBackend],
]);
const instances = new Map<string, KernelBackend>([['cpu', cpuBackend]]);
let active: KernelBackend | null = null;

/** Makes a backend selectable by name; the factory runs on first selection. */
export function registerBackend(name: string, factory: BackendFactory): void {
  factories.set(name, factory);
  instances.delete(name);
}

/** Names of the registered backends. */
export function availableBackends(): string[] {
  return [...factories.keys()];
}

function isDescribed(backend: KernelBackend): backend is DescribedBackend {
  return typeof (backend as Partial<DescribedBackend>).describe === 'function';
}

/**
 * Selects the backend that runs matmul and convolution kernels from now on. Without options an
 * already created instance is reused; with options a fresh one is made (the old one is disposed).
 */
export function setBackend(name: string, options?: BackendOptions): KernelBackend {
  const factory = factories.get(name);
  if (!factory) {
    throw new Error(`setBackend: unknown backend '${name}'; expected one of ${availableBackends().join(', ')}`);
  }
  let backend = options === undefined ? instances.get(name) : undefined;
  if (!backend) {
    backend = factory(options ?? {});
    const previous = instances.get(name);
    if (previous && previous !== backend && previous !== active && isDescribed(previous)) void previous.dispose?.();
    instances.set(name, backend);
  }
  active = backend;
  return backend;
}

/** The backend that runs kernels now (chosen from ARCGRAD_BACKEND on first use, else 'cpu'). */
export function getBackend(): KernelBackend {
  if (active === null) setBackend(process.env.ARCGRAD_BACKEND ?? 'cpu');
  return active as KernelBackend;
}

/** Describes the active backend: which kernel class runs, any fallback and why, and calls per class. */
export function backendInfo(): BackendInfo {
  const backend = getBackend();
  if (isDescribed(backend)) return backend.describe();
  return hostBackendInfo(backend.name, `${backend.name} (plain TypeScript loops)`);
}
