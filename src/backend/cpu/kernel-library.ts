import {
  gemmDotSimd,
  gemmSimd,
  instantiateSimdKernels,
  reserveSimdMemory,
  writeRoundedBlock,
} from '../simd/simd-gemm.js';
import { padPlane, planeCorrelate, planeScatter, planeWeightSums, unpadPlane } from './conv-planewise.js';
import { gemm, microKernel4x8, packPanelsA, packPanelsB, scratchArray } from './gemm.js';
import { col2im, im2col } from './im2col.js';

/**
 * The kernels the parallel tasks call, gathered in one table. Tasks reach kernels only through
 * this table (never by import), so the worker threads can rebuild the same table from the
 * functions' source text (worker-source.ts) and run the very same code.
 */
export const kernelLibrary = {
  scratchArray,
  packPanelsA,
  packPanelsB,
  microKernel4x8,
  gemm,
  instantiateSimdKernels,
  reserveSimdMemory,
  gemmSimd,
  gemmDotSimd,
  writeRoundedBlock,
  padPlane,
  unpadPlane,
  planeCorrelate,
  planeScatter,
  planeWeightSums,
  im2col,
  col2im,
};

/** The type of the kernel table handed to every task. */
export type KernelLibrary = typeof kernelLibrary;
