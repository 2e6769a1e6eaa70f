import { Tensor } from '../tensor/tensor.js';
import { expand } from './expand.js';
import { gather } from './gather.js';
import { indexSelect } from './index-select.js';
import type { Indices } from './indices.js';
import { permute, transpose } from './permute.js';
import { flatten, reshape, squeeze, unsqueeze, view } from './reshape.js';
import { scatter } from './scatter.js';
import { slice } from './slice.js';

/**
 * Tensor methods for the shape and indexing ops, attached by module augmentation so that the
 * tensor module never imports the ops (dependencies point down: ops -> tensor).
 */
declare module '../tensor/tensor.js' {
  interface Tensor {
    /** See {@link reshape}. */
    reshape(shape: readonly number[]): Tensor;
    /** See {@link view}. */
    view(shape: readonly number[]): Tensor;
    /** See {@link permute}. */
    permute(dims: readonly number[]): Tensor;
    /** See {@link transpose}. */
    transpose(dim0: number, dim1: number): Tensor;
    /** See {@link flatten}. */
    flatten(startDim?: number, endDim?: number): Tensor;
    /** See {@link squeeze}. */
    squeeze(dim?: number): Tensor;
    /** See {@link unsqueeze}. */
    unsqueeze(dim: number): Tensor;
    /** See {@link expand}. */
    expand(shape: readonly number[]): Tensor;
    /** See {@link slice}. */
    slice(dim: number, start: number, end?: number, step?: number): Tensor;
    /** See {@link indexSelect}. */
    indexSelect(dim: number, index: Indices): Tensor;
    /** See {@link gather}. */
    gather(dim: number, index: Tensor): Tensor;
    /** See {@link scatter}. */
    scatter(dim: number, index: Tensor, src: Tensor | number): Tensor;
    /** The tensor with its dims reversed (the transpose of a matrix), like torch's `.T`. */
    readonly T: Tensor;
  }
}

Tensor.prototype.reshape = function (this: Tensor, shape: readonly number[]) {
  return reshape(this, shape);
};
Tensor.prototype.view = function (this: Tensor, shape: readonly number[]) {
  return view(this, shape);
};
Tensor.prototype.permute = function (this: Tensor, dims: readonly number[]) {
  return permute(this, dims);
};
Tensor.prototype.transpose = function (this: Tensor, dim0: number, dim1: number) {
  return transpose(this, dim0, dim1);
};
Tensor.prototype.flatten = function (this: Tensor, startDim?: number, endDim?: number) {
  return flatten(this, startDim, endDim);
};
Tensor.prototype.squeeze = function (this: Tensor, dim?: number) {
  return squeeze(this, dim);
};
Tensor.prototype.unsqueeze = function (this: Tensor, dim: number) {
  return unsqueeze(this, dim);
};
Tensor.prototype.expand = function (this: Tensor, shape: readonly number[]) {
  return expand(this, shape);
};
Tensor.prototype.slice = function (this: Tensor, dim: number, start: number, end?: number, step?: number) {
  return slice(this, dim, start, end, step);
};
Tensor.prototype.indexSelect = function (this: Tensor, dim: number, index: Indices) {
  return indexSelect(this, dim, index);
};
Tensor.prototype.gather = function (this: Tensor, dim: number, index: Tensor) {
  return gather(this, dim, index);
};
Tensor.prototype.scatter = function (this: Tensor, dim: number, index: Tensor, src: Tensor | number) {
  return scatter(this, dim, index, src);
};
Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return permute(
      this,
      this.shape.map((_, i) => this.ndim - 1 - i),
    );
  },
  configurable: true,
});
