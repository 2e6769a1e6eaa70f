import { allocate, type DType, type Storage } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Copies the strided view (`offset`, `shape`, `strides`) of `source` into a new contiguous tensor.
 * Permute and slice are both such views of their input; one odometer walk serves both.
 */
export function copyStrided(
  source: Storage,
  offset: number,
  shape: readonly number[],
  strides: readonly number[],
  dtype: DType,
): Tensor {
  const out = allocate(dtype, sizeOf(shape));
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let position = offset;
  for (let i = 0; i < out.length; i++) {
    out[i] = source[position];
    // Odometer increment: bump the last dimension, carrying into earlier ones.
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      position += strides[d];
      if (index[d] < shape[d]) break;
      position -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return new Tensor(out, shape);
}

/**
 * The adjoint of `copyStrided`: a zero tensor of `targetShape` whose strided view
 * (`offset`, `values.shape`, `strides`) holds `values`. Slice's backward uses it.
 */
export function placeStrided(
  values: Tensor,
  targetShape: readonly number[],
  offset: number,
  strides: readonly number[],
): Tensor {
  const out = allocate(values.dtype, sizeOf(targetShape));
  const shape = values.shape;
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  const source = values.data;
  let position = offset;
  for (let i = 0; i < source.length; i++) {
    out[position] = source[i];
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      position += strides[d];
      if (index[d] < shape[d]) break;
      position -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return new Tensor(out, targetShape);
}

/** Flat offsets, in row-major order of `shape`, of walking `shape` with `strides` from offset 0. */
export function stridedOffsets(shape: readonly number[], strides: readonly number[]): Int32Array {
  let size = 1;
  for (const d of shape) size *= d;
  const out = new Int32Array(size);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let position = 0;
  for (let i = 0; i < size; i++) {
    out[i] = position;
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      position += strides[d];
      if (index[d] < shape[d]) break;
      position -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return out;
}
