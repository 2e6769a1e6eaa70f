import { Tensor } from '../tensor/tensor.js';

/** Argument checks shared by the shape and indexing ops, so every op words its errors the same way. */

/** Throws naming the op unless `x` is a Tensor (guards JavaScript callers and mixed-up arguments). */
export function assertTensor(op: string, argument: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${op}: ${argument} must be a Tensor, got ${String(x)}`);
}

/** Resolves a dim where a new dimension is inserted into a tensor of `rank` (valid range [-rank - 1, rank]). */
export function normalizeInsertDim(op: string, dim: number, rank: number): number {
  if (!Number.isInteger(dim) || dim < -rank - 1 || dim > rank) {
    throw new Error(
      `${op}: dim ${dim} is out of range [${-rank - 1}, ${rank}] for inserting into a tensor of rank ${rank}`,
    );
  }
  return dim < 0 ? dim + rank + 1 : dim;
}
