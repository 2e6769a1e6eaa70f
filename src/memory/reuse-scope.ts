import { type DType, freshStorage, type Storage, setAllocator } from '../tensor/dtype.js';
import { observeTensorCreation, Tensor } from '../tensor/tensor.js';

/** A storage allocated inside a scope, when, and the tensors that wrap it. */
interface ScopedStorage {
  readonly storage: Storage;
  readonly sequence: number;
  readonly tensors: Tensor[];
}

/** What a reuse scope needs of its pool (BufferPool implements it): storage to take and to give back. */
export interface StoragePool {
  /** A free storage of this dtype and size, or null when the pool has none. */
  take(dtype: DType, size: number): Storage | null;
  /** Hands a storage back for reuse. */
  give(storage: Storage): void;
}

/** One active reuse scope (see `BufferPool.run`). */
interface ReuseScope {
  readonly pool: StoragePool;
  /** Storage allocated inside the scope, by its buffer (views of one buffer share an entry). */
  readonly allocated: Map<ArrayBufferLike, ScopedStorage>;
  /** Buffers that must outlive the scope: returned, kept, or gradients of leaves. */
  readonly kept: Set<ArrayBufferLike>;
}

const scopes: ReuseScope[] = [];
let allocations = 0;

// The tensor core's two hooks: storage comes from the innermost scope, and new tensors are noted.
setAllocator((dtype, size) => allocateInScope(dtype, size) ?? freshStorage(dtype, size));
observeTensorCreation(noteTensor);

/**
 * Storage for a new tensor inside a reuse scope (drawn from its pool when one of that dtype and
 * length waits there), or null outside every scope, where the allocator makes fresh storage.
 */
export function allocateInScope(dtype: DType, size: number): Storage | null {
  const scope = scopes.at(-1);
  if (scope === undefined) return null;
  const storage = scope.pool.take(dtype, size) ?? sharedStorage(dtype, size);
  scope.allocated.set(storage.buffer, { storage, sequence: allocations++, tensors: [] });
  return storage;
}

/** Records a new tensor whose storage some active scope allocated, so that release can cut it off. */
export function noteTensor(tensor: Tensor, storage: Storage): void {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const entry = scopes[i].allocated.get(storage.buffer);
    if (entry !== undefined) {
      entry.tensors.push(tensor);
      return;
    }
  }
}

/**
 * Marks tensors (and their gradients) to outlive every active reuse scope; returns its argument.
 * Outside a scope it does nothing. Accepts a tensor or arrays and plain objects holding tensors.
 */
export function keep<T>(value: T): T {
  for (const scope of scopes) markKept(scope, value);
  return value;
}

/** Whether a reuse scope is active, i.e. whether backward should hand finished gradients back. */
export function insideReuseScope(): boolean {
  return scopes.length > 0;
}

/** A mark in the allocation sequence: storage allocated after it can be recycled by `recycleIfAllocatedSince`. */
export function allocationMark(): number {
  return allocations;
}

/**
 * Hands a storage back to its scope's pool at once, if a scope allocated it after `mark` and it is
 * not kept; the tensors wrapping it are released. The caller guarantees nothing reads it any more
 * (backward does so for gradients it has consumed).
 */
export function recycleIfAllocatedSince(storage: Storage, mark: number): void {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    const entry = scope.allocated.get(storage.buffer);
    if (entry === undefined) continue;
    if (entry.sequence < mark || scope.kept.has(storage.buffer)) return;
    release(scope, entry);
    scope.allocated.delete(storage.buffer);
    return;
  }
}

/**
 * Runs `fn` as a reuse scope of `pool`; `BufferPool.run` is the public entry. When `fn` returns,
 * every storage allocated inside goes back to the pool and its tensors are released, except the
 * returned value's tensors, kept ones and leaf gradients, which pass to the enclosing scope (if
 * any). When `fn` throws, nothing is recycled: the error may still refer to tensors.
 */
export function runReuseScope<T>(pool: StoragePool, fn: () => T): T {
  const scope: ReuseScope = { pool, allocated: new Map(), kept: new Set() };
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } finally {
    scopes.pop();
  }
  if (result instanceof Promise) {
    throw new Error('BufferPool.run: fn returned a Promise; a reuse scope must be synchronous (await outside it)');
  }
  markKept(scope, result);
  const outer = scopes.at(-1);
  for (const [buffer, entry] of scope.allocated) {
    if (!scope.kept.has(buffer)) release(scope, entry);
    else if (outer !== undefined) outer.allocated.set(buffer, entry);
    else moveToPrivateMemory(scope, entry);
  }
  return result;
}

/**
 * Fresh storage for a scope, on a SharedArrayBuffer: the CPU kernels' worker threads read and write
 * it in place, where ordinary storage is copied to shared scratch and back for every call. A page
 * that is not cross-origin isolated has no SharedArrayBuffer (and no threads): ordinary storage.
 */
function sharedStorage(dtype: DType, size: number): Storage {
  if (typeof SharedArrayBuffer !== 'function') return freshStorage(dtype, size);
  if (dtype === 'int32') return new Int32Array(new SharedArrayBuffer(size * 4));
  return dtype === 'float64'
    ? new Float64Array(new SharedArrayBuffer(size * 8))
    : new Float32Array(new SharedArrayBuffer(size * 4));
}

/**
 * Gives a kept storage's tensors a private copy and pools the shared original. Why: V8 does not
 * count SharedArrayBuffer memory towards its collection pressure, so shared storage that outlives
 * every scope (a leaf's gradient, replaced each step) would pile up uncollected; the pool's own
 * shared storage stays bounded because every step reuses it.
 */
function moveToPrivateMemory(scope: ReuseScope, entry: ScopedStorage): void {
  if (!(entry.storage.buffer instanceof SharedArrayBuffer)) return;
  const copy = entry.storage.slice();
  for (const tensor of entry.tensors) tensor.replaceStorage(copy);
  scope.pool.give(entry.storage);
}

function release(scope: ReuseScope, entry: ScopedStorage): void {
  for (const tensor of entry.tensors) tensor.markReleased();
  scope.pool.give(entry.storage);
}

/** Adds the buffers of every tensor in `value` (and of their gradients) to the scope's kept set. */
function markKept(scope: ReuseScope, value: unknown, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Tensor) {
    if (!value.released) scope.kept.add(value.data.buffer);
    markKept(scope, value.grad, seen);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) markKept(scope, item, seen);
    return;
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) markKept(scope, item, seen);
  }
}
