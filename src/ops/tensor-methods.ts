import { Tensor } from '../tensor/tensor.js';
import { relu, sigmoid, tanh } from './activation.js';
import { add, div, mul, neg, sub } from './arithmetic.js';
import { clamp } from './clamp.js';
import { argmax, max, min } from './extremum.js';
import { matmul } from './matmul.js';
import type { Operand } from './operand.js';
import { mean, sum } from './reduce.js';
import { logSoftmax, softmax } from './softmax.js';
import { cos, sin } from './trigonometric.js';
import { abs, exp, log, pow, sqrt } from './unary.js';
import { type VarianceOptions, variance } from './variance.js';

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
    /** See {@link pow}. */
    pow(exponent: number): Tensor;
    /** See {@link exp}. */
    exp(): Tensor;
    /** See {@link log}. */
    log(): Tensor;
    /** See {@link sqrt}. */
    sqrt(): Tensor;
    /** See {@link abs}. */
    abs(): Tensor;
    /** See {@link relu}. */
    relu(): Tensor;
    /** See {@link sigmoid}. */
    sigmoid(): Tensor;
    /** See {@link tanh}. */
    tanh(): Tensor;
    /** See {@link sin}. */
    sin(): Tensor;
    /** See {@link cos}. */
    cos(): Tensor;
    /** See {@link clamp}. */
    clamp(min?: number, max?: number): Tensor;
    /** See {@link sum}. */
    sum(dim?: number | readonly number[], keepdim?: boolean): Tensor;
    /** See {@link mean}. */
    mean(dim?: number | readonly number[], keepdim?: boolean): Tensor;
    /** See {@link max}. */
    max(dim?: number, keepdim?: boolean): Tensor;
    /** See {@link min}. */
    min(dim?: number, keepdim?: boolean): Tensor;
    /** See {@link argmax}. */
    argmax(dim?: number, keepdim?: boolean): Tensor;
    /** See {@link variance}. */
    var(dim?: number | readonly number[], options?: VarianceOptions): Tensor;
    /** See {@link softmax}. */
    softmax(dim: number): Tensor;
    /** See {@link logSoftmax}. */
    logSoftmax(dim: number): Tensor;
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
Tensor.prototype.pow = function (this: Tensor, exponent: number) {
  return pow(this, exponent);
};
Tensor.prototype.exp = function (this: Tensor) {
  return exp(this);
};
Tensor.prototype.log = function (this: Tensor) {
  return log(this);
};
Tensor.prototype.sqrt = function (this: Tensor) {
  return sqrt(this);
};
Tensor.prototype.abs = function (this: Tensor) {
  return abs(this);
};
Tensor.prototype.relu = function (this: Tensor) {
  return relu(this);
};
Tensor.prototype.sigmoid = function (this: Tensor) {
  return sigmoid(this);
};
Tensor.prototype.tanh = function (this: Tensor) {
  return tanh(this);
};
Tensor.prototype.sin = function (this: Tensor) {
  return sin(this);
};
Tensor.prototype.cos = function (this: Tensor) {
  return cos(this);
};
Tensor.prototype.clamp = function (this: Tensor, low?: number, high?: number) {
  return clamp(this, low, high);
};
Tensor.prototype.sum = function (this: Tensor, dim?: number | readonly number[], keepdim = false) {
  return sum(this, dim, keepdim);
};
Tensor.prototype.mean = function (this: Tensor, dim?: number | readonly number[], keepdim = false) {
  return mean(this, dim, keepdim);
};
Tensor.prototype.max = function (this: Tensor, dim?: number, keepdim = false) {
  return max(this, dim, keepdim);
};
Tensor.prototype.min = function (this: Tensor, dim?: number, keepdim = false) {
  return min(this, dim, keepdim);
};
Tensor.prototype.argmax = function (this: Tensor, dim?: number, keepdim = false) {
  return argmax(this, dim, keepdim);
};
Tensor.prototype.var = function (this: Tensor, dim?: number | readonly number[], options?: VarianceOptions) {
  return variance(this, dim, options);
};
Tensor.prototype.softmax = function (this: Tensor, dim: number) {
  return softmax(this, dim);
};
Tensor.prototype.logSoftmax = function (this: Tensor, dim: number) {
  return logSoftmax(this, dim);
};
