import { type DType, dtypeOf, type Storage } from '../tensor/dtype.js';
// Imported for its effect: backward hands consumed gradients back to the pool.
import './gradient-recycler.js';
import { runReuseScope } from './reuse-scope.js';

/** Free storages of one dtype and length, and how few of them a run of the pool ever left. */
interface FreeList {
  readonly storages: Storage[];
  /** The smallest length the list had during the current outermost run. */
  lowWater: number;
}

/**
 * Storage that training steps hand back and draw again, so that a step allocates almost nothing
 * once the first one has run. `pool.run(step)` makes a reuse scope (see `runReuseScope`): inside
 * it every new tensor draws zero-filled storage of its dtype and length from the pool, and when the
 * step returns, the storage of every tensor it made goes back to the pool, except what it returns,
 * what it passes to `keep()` and the gradients that backward stores on leaves. Gradients that
 * backward has finished with go back at once, so later ones in the same backward reuse them.
 *
 * Why: a training step at batch 16 allocates about a gigabyte of activations and gradients. Fresh
 * typed arrays of that size come from the operating system zeroed page by page and go back only
 * when the garbage collector gets to them; recycling them saves both (measured in BENCHMARKS.md).
 *
 * The pool keeps only what steps still use: a storage that lay unused through a whole outermost
 * run is dropped at its end (so a smaller last batch does not pin a second set of buffers).
 */
export class BufferPool {
  private readonly free = new Map<string, FreeList>();
  private bytes = 0;
  private depth = 0;

  /**
   * Runs `fn` in a reuse scope drawing from and returning to this pool. `fn` must be synchronous.
   * Tensors it made and did not return or keep are released afterwards: reading their data throws.
   * A raw array taken from `data` inside `fn` belongs to the pool too (kept tensors get a private
   * copy when the outermost scope ends): read `data` after `run` returns to hold on to values.
   */
  run<T>(fn: () => T): T {
    if (this.depth === 0) for (const list of this.free.values()) list.lowWater = list.storages.length;
    this.depth++;
    try {
      return runReuseScope(this, fn);
    } finally {
      this.depth--;
      if (this.depth === 0) this.dropUnused();
    }
  }

  /** Bytes of storage waiting in the pool. */
  get pooledBytes(): number {
    return this.bytes;
  }

  /** Lets go of every pooled storage (the garbage collector frees them). */
  clear(): void {
    this.free.clear();
    this.bytes = 0;
  }

  /** A pooled storage of this dtype and length, zero-filled, or null when none waits. */
  take(dtype: DType, size: number): Storage | null {
    const list = this.free.get(keyOf(dtype, size));
    const storage = list?.storages.pop();
    if (list === undefined || storage === undefined) return null;
    list.lowWater = Math.min(list.lowWater, list.storages.length);
    this.bytes -= storage.byteLength;
    storage.fill(0);
    return storage;
  }

  /** Puts a storage nobody reads any more into the pool. */
  give(storage: Storage): void {
    const key = keyOf(dtypeOf(storage), storage.length);
    let list = this.free.get(key);
    if (list === undefined) {
      list = { storages: [], lowWater: 0 };
      this.free.set(key, list);
    }
    list.storages.push(storage);
    this.bytes += storage.byteLength;
  }

  /** Drops the storages no take reached in the run that just ended: the bottom of each stack. */
  private dropUnused(): void {
    for (const [key, list] of this.free) {
      const unused = list.storages.splice(0, list.lowWater);
      for (const storage of unused) this.bytes -= storage.byteLength;
      list.lowWater = 0;
      if (list.storages.length === 0) this.free.delete(key);
    }
  }
}

function keyOf(dtype: DType, size: number): string {
  return `${dtype}:${size}`;
}
