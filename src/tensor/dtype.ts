/**
 * Element types a tensor can hold. float32 is the default; float64 exists for gradient checks;
 * int32 holds labels, indices and argmax results, and only float ops' inputs must be floats.
 */
export type DType = 'float32' | 'float64' | 'int32';

/** Every dtype a tensor can hold. */
export const dtypes: readonly DType[] = ['float32', 'float64', 'int32'];

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

/**
 * Throws naming `op` unless `dtype` is a floating dtype. Why: an op that computes with fractions
 * (or has a gradient) would silently truncate into int32 storage; PyTorch refuses the same way.
 */
export function assertFloat(op: string, dtype: DType): void {
  if (dtype === 'int32') {
    throw new Error(`${op}: needs a float32 or float64 tensor, got int32 (convert with .clone('float32'))`);
  }
}

/**
 * Ops that only move or copy elements, so int32 passes through them unchanged (labels reshaped,
 * sliced or concatenated); every other recorded op refuses int32 inputs.
 */
export const elementMovingOps: ReadonlySet<string> = new Set(
  'reshape view flatten squeeze unsqueeze permute transpose slice cat expand gather indexSelect'.split(' '),
);

/** The dtypes that float ops and gradients accept. */
export type FloatDType = Exclude<DType, 'int32'>;

/** Flat, contiguous, row-major storage of a tensor. */
export type Storage = Float32Array | Float64Array | Int32Array;

/** Storage of a float tensor, what kernels compute in. */
export type FloatStorage = Float32Array | Float64Array;

/** `storage` as float storage for `op`'s kernels; throws as `assertFloat` for int32. */
export function floatStorage(op: string, storage: Storage): FloatStorage {
  if (storage instanceof Int32Array) assertFloat(op, 'int32');
  return storage as FloatStorage;
}

/** Where new storage comes from: zero-filled, `size` elements of `dtype`. */
export type Allocator = (dtype: DType, size: number) => Storage;

/** Fresh zero-filled storage from the JavaScript heap; the allocator unless one is installed. */
export function freshStorage(dtype: DType, size: number): Storage {
  if (dtype === 'int32') return new Int32Array(size);
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
export function allocate(dtype: FloatDType, size: number, forWhat?: string): FloatStorage;
export function allocate(dtype: DType, size: number, forWhat?: string): Storage;
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
  if (storage instanceof Int32Array) return 'int32';
  return storage instanceof Float64Array ? 'float64' : 'float32';
}

/**
 * The result dtype of an op over several inputs: float64 wins, as in PyTorch's type promotion, and
 * a float op never produces int32 (its int32 inputs are refused before they get here).
 */
export function promoteDTypes(...dtypes: DType[]): DType {
  return dtypes.includes('float64') ? 'float64' : 'float32';
}
