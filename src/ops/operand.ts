import { tensor } from '../tensor/create.js';
import { promoteDTypes } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** A tensor or a plain number; numbers act as scalar tensors of the other operand's dtype. */
export type Operand = Tensor | number;

/** Turns a number into a scalar tensor matching `like`'s dtype; throws naming the op if it is NaN or not a number. */
export function asTensor(op: string, argument: string, value: Operand, like?: Tensor): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new Error(`${op}: ${argument} must be a tensor or a number, got ${String(value)}`);
  }
  return tensor(value, { dtype: like?.dtype ?? 'float32' });
}

/** Both operands of a binary op as tensors; a number takes the dtype of the other operand. */
export function operands(op: string, a: Operand, b: Operand): [Tensor, Tensor] {
  const x = asTensor(op, 'a', a, b instanceof Tensor ? b : undefined);
  return [x, asTensor(op, 'b', b, x)];
}

/** Result dtype of a binary op. */
export function resultDType(a: Tensor, b: Tensor) {
  return promoteDTypes(a.dtype, b.dtype);
}

/** Throws naming the op and argument unless `value` is a finite number. */
export function assertFinite(op: string, argument: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${op}: ${argument} must be a finite number, got ${String(value)}`);
  }
}
