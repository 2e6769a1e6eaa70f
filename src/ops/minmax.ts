import { record } from '../tensor/autograd.js';
import type { Tensor } from '../tensor/tensor.js';
import { broadcastBinary, sumToShape } from './broadcast.js';
import { type Operand, operands, resultDType } from './operand.js';

/**
 * Gradient share of `a` in maximum(a, b) (or minimum, with `sign` = -1): 1 where a wins,
 * 0 where b wins, and 0.5 on ties, splitting the gradient like PyTorch 1.13.
 */
function share(p: number, q: number, sign: number): number {
  const d = sign * (p - q);
  return d > 0 ? 1 : d < 0 ? 0 : 0.5;
}

function extremumOf(op: string, a: Operand, b: Operand, sign: 1 | -1): Tensor {
  const [x, y] = operands(op, a, b);
  // Math.max/min propagate NaN, like torch.maximum/minimum.
  const out = broadcastBinary(op, x, y, resultDType(x, y), sign > 0 ? Math.max : Math.min);
  return record(op, [x, y], out, (g) => {
    const weightA = broadcastBinary(op, x, y, g.dtype, (p, q) => share(p, q, sign));
    return [
      x.requiresGrad
        ? sumToShape(
            broadcastBinary(op, g, weightA, g.dtype, (gi, w) => gi * w),
            x.shape,
          )
        : null,
      y.requiresGrad
        ? sumToShape(
            broadcastBinary(op, g, weightA, g.dtype, (gi, w) => gi * (1 - w)),
            y.shape,
          )
        : null,
    ];
  });
}

/** Elementwise larger of a and b with broadcasting; ties split the gradient 0.5 / 0.5 (PyTorch 1.13). */
export function maximum(a: Operand, b: Operand): Tensor {
  return extremumOf('maximum', a, b, 1);
}

/** Elementwise smaller of a and b with broadcasting; ties split the gradient 0.5 / 0.5 (PyTorch 1.13). */
export function minimum(a: Operand, b: Operand): Tensor {
  return extremumOf('minimum', a, b, -1);
}
