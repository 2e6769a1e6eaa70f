import { Tensor } from '../tensor/tensor.js';
import { add, div, mul, neg, sub } from './arithmetic.js';
import { matmul } from './matmul.js';
import type { Operand } from './operand.js';

/**
 * Tensor methods for the math ops, attached by module augmentation so that the tensor module
 * never imports the ops (dependencies point down: ops -> tensor).
 */
declare module '../tensor/tensor.js' {
  interface Tensor {
    /** See {@link add}. */
    add(other: Operand): Tensor;
    /** See {@link sub}. */
    sub(other: Operand): Tensor;
    /** See {@link mul}. */
    mul(other: Operand): Tensor;
    /** See {@link div}. */
    div(other: Operand): Tensor;
    /** See {@link neg}. */
    neg(): Tensor;
    /** See {@link matmul}. */
    matmul(other: Tensor): Tensor;
  }
}

Tensor.prototype.add = function (this: Tensor, other: Operand) {
  return add(this, other);
};
Tensor.prototype.sub = function (this: Tensor, other: Operand) {
  return sub(this, other);
};
Tensor.prototype.mul = function (this: Tensor, other: Operand) {
  return mul(this, other);
};
Tensor.prototype.div = function (this: Tensor, other: Operand) {
  return div(this, other);
};
Tensor.prototype.neg = function (this: Tensor) {
  return neg(this);
};
Tensor.prototype.matmul = function (this: Tensor, other: Tensor) {
  return matmul(this, other);
};
