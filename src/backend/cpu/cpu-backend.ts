import { hostBackendInfo } from '../host-backend-info.js';
import type { BackendDescription, CompleteBackend, DescribedBackend } from '../kernels.js';
import { cpuSimdProblem, getCpuSimd } from '../simd/simd-switch.js';
import { batchNormBackwardCpu, batchNormForwardCpu } from './batch-norm.js';
import { conv2dBackwardInputCpu, conv2dBackwardWeightCpu, conv2dForwardCpu } from './conv2d.js';
import { matmulCpu } from './matmul.js';
import { preluBackwardCpu, preluCpu } from './prelu.js';
import { binaryReference, sumToShapeReference } from './reference/elementwise.js';
import { cpuThreadPoolInfo } from './threads/pool.js';

/** What runs the float32 GEMMs (matmul, 1x1 and im2col convolutions), for reports and benchmarks. */
function gemmEngine(): string {
  if (getCpuSimd()) return 'GEMMs on WebAssembly SIMD';
  const problem = cpuSimdProblem();
  return problem === null ? 'GEMMs in scalar TypeScript (SIMD turned off)' : `GEMMs in scalar TypeScript (${problem})`;
}

/**
 * The CPU backend: packed GEMM (scalar TypeScript, or its WebAssembly SIMD macro-kernel for float32)
 * and shape-specialised convolution kernels spread over a worker-thread pool; batchNorm and prelu
 * plane loops on WebAssembly SIMD. The plain loops it
 * replaced stay in reference/ as the oracle every CPU and GPU kernel is tested against.
 */
export const cpuBackend: DescribedBackend & CompleteBackend = {
  name: 'cpu',
  matmul: matmulCpu,
  conv2dForward: conv2dForwardCpu,
  conv2dBackwardInput: conv2dBackwardInputCpu,
  conv2dBackwardWeight: conv2dBackwardWeightCpu,
  batchNormForward: batchNormForwardCpu,
  batchNormBackward: batchNormBackwardCpu,
  prelu: preluCpu,
  preluBackward: preluBackwardCpu,
  // No faster loop than the reference's yet: memory-bound, one pass.
  binary: binaryReference,
  sumToShape: sumToShapeReference,
  describe(): BackendDescription {
    const pool = cpuThreadPoolInfo();
    const threads = pool.problem === null ? `${pool.threads} thread(s)` : `1 thread (${pool.problem})`;
    return hostBackendInfo('cpu', `cpu (TypeScript kernels, ${gemmEngine()}, ${threads})`);
  },
};
