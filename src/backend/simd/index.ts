/**
 * The CPU backend's WebAssembly SIMD kernels (an accelerator, like gpu/): the switch that turns them
 * on or off. The scalar TypeScript kernels in cpu/ stay the readable reference path.
 */
export { cpuSimdProblem, getCpuSimd, setCpuSimd } from './simd-switch.js';
