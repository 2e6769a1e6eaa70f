/** Shape helpers shared by every op: sizes, strides, broadcasting and dimension normalisation. */

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Row-major strides of a contiguous tensor of this shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

/** True when two shapes are identical. */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Formats a shape for error messages: `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** The most elements one storage may hold (V8's typed-array limit on 64-bit hosts). */
export const maxElements = 2 ** 32;

/** Checks that a shape is an array of non-negative integers whose storage can exist. */
export function assertValidShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape)) {
    throw new Error(`${op}: shape must be an array of sizes (for example [2, 3]), got ${JSON.stringify(shape)}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(`${op}: shape ${formatShape(shape)} must hold non-negative integers`);
    }
  }
  const size = sizeOf(shape);
  if (size > maxElements) {
    throw new Error(
      `${op}: shape ${formatShape(shape)} has ${size.toExponential(2)} elements (${(size * 4).toExponential(2)} bytes ` +
        `as float32); one tensor holds at most ${maxElements} elements`,
    );
  }
}

/** NumPy broadcasting of two shapes; throws naming the op when they are incompatible. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast (dimension ${i}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  // Two storable operands can broadcast to one that is not ([1e6, 1] + [1, 1e6]): say so here, by op.
  assertValidShape(op, out);
  return out;
}

/**
 * Strides for reading a tensor of `shape` as if it had the broadcast shape `target`:
 * broadcast dimensions get stride 0, so one index walk serves both operands.
 */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const own = stridesOf(shape);
  const offset = target.length - shape.length;
  const strides = new Array<number>(target.length).fill(0);
  for (let i = 0; i < shape.length; i++) strides[offset + i] = shape[i] === 1 ? 0 : own[i];
  return strides;
}

/** Resolves a possibly negative dimension index against a rank; throws naming the op. */
export function normalizeDim(op: string, dim: number, rank: number): number {
  if (!Number.isInteger(dim) || dim < -Math.max(rank, 1) || dim >= Math.max(rank, 1)) {
    throw new Error(`${op}: dim ${dim} is out of range for a tensor of rank ${rank}`);
  }
  return dim < 0 ? dim + Math.max(rank, 1) : dim;
}
