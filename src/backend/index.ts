/** Kernel backends and their selection. */
export type { Conv2dGeometry, KernelBackend, MatmulProblem } from './kernels.js';
export { availableBackends, getBackend, registerBackend, setBackend } from './registry.js';
