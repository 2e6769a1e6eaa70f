import { gpuTarget } from './backend-targets.js';
import { kernelSuite } from './kernel-suite.js';

/** The shared kernel suite on gpu.js's headlessgl backend (skipped, with the reason, where it cannot run). */
kernelSuite(gpuTarget('headlessgl'));
