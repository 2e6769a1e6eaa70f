import { cpuScalarTarget } from './backend-targets.js';
import { kernelSuite } from './kernel-suite.js';

/** The shared kernel suite on the CPU backend with WebAssembly SIMD off (the scalar GEMM path). */
kernelSuite(cpuScalarTarget);
