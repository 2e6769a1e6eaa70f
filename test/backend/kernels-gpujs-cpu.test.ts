import { gpuTarget } from './backend-targets.js';
import { kernelSuite } from './kernel-suite.js';

/** The shared kernel suite on gpu.js's cpu mode (its kernels transpiled to plain JavaScript). */
kernelSuite(gpuTarget('cpu'));
