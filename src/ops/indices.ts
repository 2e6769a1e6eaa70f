import { Tensor } from '../tensor/tensor.js';

/** Integer positions for the indexing ops: a tensor holding integers, a plain array, or an Int32Array. */
export type Indices = Tensor | readonly number[] | Int32Array;

/**
 * The flat row-major values of `indices` as an Int32Array, checked to be integers and, when `bound`
 * is given, within [0, bound). Errors name the op and the argument; `rangeName` describes the bound
 * in them (default `[0, bound)`, e.g. `dim 1 of size 3` for gather).
 */
export function toIndexArray(
  op: string,
  argument: string,
  indices: Indices,
  bound?: number,
  rangeName = `[0, ${bound})`,
): Int32Array {
  let values: ArrayLike<number>;
  if (indices instanceof Tensor) values = indices.data;
  else if (indices instanceof Int32Array || Array.isArray(indices)) values = indices;
  else
    throw new Error(
      `${op}: ${argument} must be a Tensor, an array of integers or an Int32Array, got ${String(indices)}`,
    );
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) {
      throw new Error(`${op}: ${argument} must hold integers, got ${String(v)} at position ${i}`);
    }
    if (bound !== undefined && (v < 0 || v >= bound)) {
      throw new Error(`${op}: ${argument} ${v} out of range for ${rangeName}`);
    }
    out[i] = v;
  }
  return out;
}

/** The shape `indices` has as a tensor: its own for a Tensor, [length] for an array. */
export function indicesShape(indices: Indices): readonly number[] {
  return indices instanceof Tensor ? indices.shape : [indices.length];
}
