import { normalizeDim } from '../tensor/shape.js';
import { blocksAround, type DimBlocks } from './dim-blocks.js';

/** Where a reduction over some dims puts its results. */
export interface ReducedShapes {
  /** The reduced dims, resolved and sorted. */
  readonly dims: readonly number[];
  /** The input shape with every reduced dim set to 1 (the keepdim shape; gradients broadcast from it). */
  readonly keptShape: readonly number[];
  /** The output shape: `keptShape`, or without the reduced dims unless keepdim. */
  readonly outShape: readonly number[];
  /** Number of input elements folded into each output element. */
  readonly count: number;
}

/**
 * Resolves the `dim` argument of a reduction: undefined reduces every dim, a list reduces each of
 * its dims (an empty list reduces none). A 0-d tensor accepts dim 0 or -1, like PyTorch.
 */
export function reducedShapes(
  op: string,
  shape: readonly number[],
  dim: number | readonly number[] | undefined,
  keepdim: boolean,
): ReducedShapes {
  const rank = shape.length;
  let dims: number[];
  if (dim === undefined) {
    dims = Array.from({ length: rank }, (_, i) => i);
  } else {
    const list = typeof dim === 'number' ? [dim] : dim;
    if (!Array.isArray(list)) throw new Error(`${op}: dim must be a number or a list of numbers, got ${String(dim)}`);
    dims = list.map((d) => normalizeDim(op, d, rank)).filter((d) => d < rank);
    const repeated = dims.find((d, i) => dims.indexOf(d) !== i);
    if (repeated !== undefined)
      throw new Error(`${op}: dim ${repeated} appears more than once in [${list.join(', ')}]`);
    dims.sort((a, b) => a - b);
  }
  const keptShape = shape.map((d, i) => (dims.includes(i) ? 1 : d));
  const outShape = keepdim ? keptShape : shape.filter((_, i) => !dims.includes(i));
  const count = dims.reduce((n, d) => n * shape[d], 1);
  return { dims, keptShape, outShape, count };
}

/** `blocksAround`, extended to 0-d tensors (one block of one element), which reductions accept. */
export function blocksAroundDim(shape: readonly number[], dim: number): DimBlocks {
  return shape.length === 0 ? { outer: 1, size: 1, inner: 1 } : blocksAround(shape, dim);
}
