import { record } from '../tensor/autograd.js';
import { formatShape, normalizeDim, stridesOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertTensor } from './shape-arguments.js';
import { copyStrided } from './strided.js';

/** Reorders the dims of `x` into new contiguous storage; backward applies the inverse permutation. */
function permuted(op: string, x: Tensor, dims: readonly number[]): Tensor {
  const strides = stridesOf(x.shape);
  const out = copyStrided(
    x.data,
    0,
    dims.map((d) => x.shape[d]),
    dims.map((d) => strides[d]),
    x.dtype,
  );
  const inverse = new Array<number>(dims.length);
  for (let i = 0; i < dims.length; i++) inverse[dims[i]] = i;
  return record(op, [x], out, (g) => [permuted(op, g, inverse)]);
}

/** Output dim i is input dim dims[i], like torch.permute; dims must be a permutation of 0..rank-1 (negatives allowed). */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  assertTensor('permute', 'x', x);
  if (!Array.isArray(dims) || dims.length !== x.ndim) {
    throw new Error(
      `permute: dims ${Array.isArray(dims) ? formatShape(dims) : String(dims)} must list ${x.ndim} dims for x of shape ${formatShape(x.shape)}`,
    );
  }
  const resolved = dims.map((d) => normalizeDim('permute', d, x.ndim));
  if (new Set(resolved).size !== resolved.length) {
    throw new Error(
      `permute: dims ${formatShape(dims)} repeat a dimension; expected a permutation of 0..${x.ndim - 1}`,
    );
  }
  return permuted('permute', x, resolved);
}

/** Swaps dims dim0 and dim1, like torch.transpose. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  assertTensor('transpose', 'x', x);
  if (x.ndim === 0) {
    normalizeDim('transpose', dim0, 0);
    normalizeDim('transpose', dim1, 0);
    return permuted('transpose', x, []);
  }
  const a = normalizeDim('transpose', dim0, x.ndim);
  const b = normalizeDim('transpose', dim1, x.ndim);
  const dims = Array.from({ length: x.ndim }, (_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permuted('transpose', x, dims);
}
