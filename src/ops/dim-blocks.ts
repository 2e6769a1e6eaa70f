/**
 * A contiguous tensor seen around one dimension: `outer` blocks (the dims before it), each holding
 * `size` rows (the dim itself) of `inner` contiguous elements (the dims after it). Ops that act
 * along one dim (cat, slice, indexSelect) walk this three-level layout with plain flat indexing.
 */
export interface DimBlocks {
  outer: number;
  size: number;
  inner: number;
}

/** The outer/size/inner decomposition of `shape` around `dim` (dim already normalised). */
export function blocksAround(shape: readonly number[], dim: number): DimBlocks {
  let outer = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d];
  let inner = 1;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d];
  return { outer, size: shape[dim], inner };
}
