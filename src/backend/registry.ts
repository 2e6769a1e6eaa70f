import { cpuBackend } from './cpu/cpu-backend.js';
import type { KernelBackend } from './kernels.js';

/**
 * Backend selection. The CPU backend is always present; others (gpu.js) register a factory so
 * their heavy imports happen only when selected. `ARCGRAD_BACKEND` picks the start-up backend.
 */

const factories = new Map<string, () => KernelBackend>([['cpu', () => cpuBackend]]);
const instances = new Map<string, KernelBackend>([['cpu', cpuBackend]]);
let active: KernelBackend | null = null;

/** Makes a backend selectable by name; the factory runs on first selection. */
export function registerBackend(name: string, factory: () => KernelBackend): void {
  factories.set(name, factory);
  instances.delete(name);
}

/** Names of the registered backends. */
export function availableBackends(): string[] {
  return [...factories.keys()];
}

/** Selects the backend that runs matmul and convolution kernels from now on. */
export function setBackend(name: string): KernelBackend {
  const factory = factories.get(name);
  if (!factory) {
    throw new Error(`setBackend: unknown backend '${name}'; expected one of ${availableBackends().join(', ')}`);
  }
  let backend = instances.get(name);
  if (!backend) {
    backend = factory();
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
