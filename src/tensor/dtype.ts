/** Element types a tensor can hold. float64 exists for gradient checks; float32 is the default. */
export type DType = 'float32' | 'float64';

/** Every dtype a tensor can hold; integer dtypes are not supported (labels and indices are float). */
export const dtypes: readonly DType[] = ['float32', 'float64'];

/**
 * Throws unless `dtype` is one the engine supports. Why: a JavaScript caller (or a cast) can pass
 * any string, and an unknown one must not silently become float32.
 */
export function assertDType(op: string, dtype: unknown): asserts dtype is DType {
  if (!dtypes.includes(dtype as DType)) {
    throw new Error(
      `${op}: dtype must be one of ${dtypes.map((d) => `'${d}'`).join(', ')}, got ${JSON.stringify(dtype)}`,
    );
  }
}

/** Flat, contiguous, row-major storage of a tensor. */
export type Storage = Float32Array | Float64Array;

/** Where new storage comes from: zero-filled, `size` elements of `dtype`. */
export type Allocator = (dtype: DType, size: number) => Storage;

/** Fresh zero-filled storage from the JavaScript heap; the allocator unless one is installed. */
export function freshStorage(dtype: DType, size: number): Storage {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

let allocator: Allocator = freshStorage;

/**
 * Installs the allocator that `allocate` uses. Why a hook: src/memory reuses storage between
 * training steps (`BufferPool`) without the tensor core knowing about it.
 */
export function setAllocator(next: Allocator): void {
  allocator = next;
}

/**
 * Allocates zero-filled storage of `size` elements for `dtype`. `forWhat` starts the error when
 * the allocation fails (the op and the shape, e.g. `zeros: shape [2, 3]`), so the user sees which
 * call asked for the memory.
 */
export function allocate(dtype: DType, size: number, forWhat = 'allocate'): Storage {
  try {
    return allocator(dtype, size);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // V8 says only "Invalid typed array length: N"; say what was asked for and what it would cost.
    const bytes = size * (dtype === 'float64' ? 8 : 4);
    throw new Error(
      `${forWhat}: cannot hold ${size} ${dtype} elements (${bytes.toExponential(2)} bytes): ${error.message}`,
    );
  }
}

/** The dtype of a storage array. */
export function dtypeOf(storage: Storage): DType {
  return storage instanceof Float64Array ? 'float64' : 'float32';
}

/** The result dtype of an op over several inputs: float64 wins, as in PyTorch's type promotion. */
export function promoteDTypes(...dtypes: DType[]): DType {
  return dtypes.includes('float64') ? 'float64' : 'float32';
}
