import { allocateInScope } from './reuse-scope.js';

/** Element types a tensor can hold. float64 exists for gradient checks; float32 is the default. */
export type DType = 'float32' | 'float64';

/** Flat, contiguous, row-major storage of a tensor. */
export type Storage = Float32Array | Float64Array;

/**
 * Allocates zero-filled storage of `size` elements for `dtype`; inside `BufferPool.run` the
 * storage may be a recycled one from the pool (zero-filled again).
 */
export function allocate(dtype: DType, size: number): Storage {
  const pooled = allocateInScope(dtype, size);
  if (pooled !== null) return pooled;
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** The dtype of a storage array. */
export function dtypeOf(storage: Storage): DType {
  return storage instanceof Float64Array ? 'float64' : 'float32';
}

/** The result dtype of an op over several inputs: float64 wins, as in PyTorch's type promotion. */
export function promoteDTypes(...dtypes: DType[]): DType {
  return dtypes.includes('float64') ? 'float64' : 'float32';
}
