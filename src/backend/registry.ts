import { kernelTimerStart, kernelTimerStop } from '../tensor/profiler.js';
import { cpuBackend } from './cpu/cpu-backend.js';
import { referenceCpuBackend } from './cpu/reference/index.js';
import { environmentVariable } from './environment.js';
import { createGpuBackend } from './gpu/register.js';
import { hostBackendInfo } from './host-backend-info.js';
import type {
  BackendFactory,
  BackendInfo,
  BackendOptions,
  DescribedBackend,
  KernelBackend,
  KernelName,
  Kernels,
} from './kernels.js';

/**
 * Backend selection. 'cpu' and 'gpu' are always registered; the gpu factory loads gpu.js (and
 * headless-gl) only when 'gpu' is first selected, so importing arcgrad stays cheap.
 * `ARCGRAD_BACKEND` picks the start-up backend; the gpu backend also reads ARCGRAD_GPU_MODE and
 * ARCGRAD_GPU_MIN_FLOPS.
 */

const factories = new Map<string, BackendFactory>([
  ['cpu', () => cpuBackend],
  // The gpu backend runs what gpu.js cannot (float64, small problems) on the CPU backend, handed to it here.
  ['gpu', (options) => createGpuBackend(options, cpuBackend)],
]);
const instances = new Map<string, KernelBackend>([['cpu', cpuBackend]]);
let active: KernelBackend | null = null;
/** Per kernel name, calls per implementation ('cpu', 'gpu', 'cpu-reference') since the last selection. */
let kernelCalls = new Map<KernelName, Map<string, number>>();

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
  kernelCalls = new Map();
  return backend;
}

/** The backend that runs kernels now (chosen from ARCGRAD_BACKEND on first use, else 'cpu'). */
export function getBackend(): KernelBackend {
  if (active === null) setBackend(environmentVariable('ARCGRAD_BACKEND') ?? 'cpu');
  return active as KernelBackend;
}

/**
 * Runs the named kernel on the active backend, or on the CPU reference where the backend does not
 * implement it, and counts which one ran (backendInfo().kernels).
 */
export function runKernel<K extends KernelName>(name: K, ...args: Parameters<Kernels[K]>): void {
  const backend = getBackend();
  const own = backend[name] as ((...a: Parameters<Kernels[K]>) => void) | undefined;
  const runner = own ? backend : referenceCpuBackend;
  let calls = kernelCalls.get(name);
  if (calls === undefined) {
    calls = new Map();
    kernelCalls.set(name, calls);
  }
  calls.set(runner.name, (calls.get(runner.name) ?? 0) + 1);
  const kernel = own ?? (referenceCpuBackend[name] as (...a: Parameters<Kernels[K]>) => void);
  const started = kernelTimerStart();
  kernel.apply(runner, args);
  kernelTimerStop(name, started);
}

/** Describes the active backend: which kernel class runs, any fallback and why, calls per class and per named kernel. */
export function backendInfo(): BackendInfo {
  const backend = getBackend();
  const description = isDescribed(backend)
    ? backend.describe()
    : hostBackendInfo(backend.name, `${backend.name} (plain TypeScript loops)`);
  const kernels: Record<string, Record<string, number>> = {};
  for (const [name, calls] of kernelCalls) kernels[name] = Object.fromEntries(calls);
  return { ...description, kernels };
}
