import type { Storage } from '../../tensor/dtype.js';
import type { Conv2dGeometry } from '../kernels.js';

/**
 * The arguments of the three convolution passes as parallel tasks (conv2d-gemm.ts,
 * conv2d-planewise.ts), each operand named for the tensor it is in that pass.
 */

/** Forward: output = input (*) weight. */
export interface Conv2dForwardArgs {
  input: Storage;
  weight: Storage;
  output: Storage;
  geometry: Conv2dGeometry;
  /** Output positions per item of the GEMM task (below the plane size only for 1x1 convs). */
  columnsPerItem: number;
}

/** Input gradient: inputGrad = outputGrad (*)^T weight. */
export interface Conv2dBackwardInputArgs {
  outputGrad: Storage;
  weight: Storage;
  inputGrad: Storage;
  geometry: Conv2dGeometry;
  /** Output positions per item of the GEMM task (below the plane size only for 1x1 convs). */
  columnsPerItem: number;
}

/** Weight gradient, summed over the batch: weightGrad = sum over images of outputGrad x input. */
export interface Conv2dBackwardWeightArgs {
  input: Storage;
  outputGrad: Storage;
  weightGrad: Storage;
  geometry: Conv2dGeometry;
  /** Output-channel rows per item of the GEMM task. */
  rowsPerItem: number;
}
