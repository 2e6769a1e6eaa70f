import { cpuTarget } from './backend-targets.js';
import { kernelSuite } from './kernel-suite.js';

/** The shared kernel suite on the CPU backend, checked against the definitional kernels. */
kernelSuite(cpuTarget);
