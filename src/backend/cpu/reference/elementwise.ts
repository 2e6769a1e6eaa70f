import { broadcastStrides } from '../../../tensor/shape.js';
import type { BinaryOp, BinaryProblem, SumToShapeProblem } from '../../kernels.js';

const apply: Record<BinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

/** out = a op b elementwise; operands of other shapes are broadcast to out's shape. */
export function binaryReference(problem: BinaryProblem): void {
  const { a, b, out } = problem;
  if (a.length === out.length && b.length === out.length) {
    sameShape(problem);
    return;
  }
  const f = apply[problem.op];
  if (b.length === 1 && a.length === out.length) {
    const y = b[0];
    for (let i = 0; i < out.length; i++) out[i] = f(a[i], y);
    return;
  }
  if (a.length === 1 && b.length === out.length) {
    const x = a[0];
    for (let i = 0; i < out.length; i++) out[i] = f(x, b[i]);
    return;
  }
  const shape = problem.outShape;
  const aStrides = broadcastStrides(problem.aShape, shape);
  const bStrides = broadcastStrides(problem.bShape, shape);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let aOffset = 0;
  let bOffset = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = f(a[aOffset], b[bOffset]);
    // Odometer increment: bump the last dimension, carrying into earlier ones.
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      aOffset += aStrides[d];
      bOffset += bStrides[d];
      if (index[d] < shape[d]) break;
      aOffset -= aStrides[d] * shape[d];
      bOffset -= bStrides[d] * shape[d];
      index[d] = 0;
    }
  }
}

// Equal shapes are the common case (the residual add of every DepthWiseRes block). Each op's loop
// is written out: a closure call per element costs more than the arithmetic.
function sameShape({ op, a, b, out }: BinaryProblem): void {
  const n = out.length;
  if (op === 'add') for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
  else if (op === 'sub') for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
  else if (op === 'mul') for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
  else for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
}

/** Sums x over the dimensions where out's shape is 1 (or missing) and x's is not: out is overwritten. */
export function sumToShapeReference({ x, xShape, out, outShape }: SumToShapeProblem): void {
  out.fill(0);
  const outStrides = broadcastStrides(outShape, xShape);
  const rank = xShape.length;
  const index = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let i = 0; i < x.length; i++) {
    out[offset] += x[i];
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      offset += outStrides[d];
      if (index[d] < xShape[d]) break;
      offset -= outStrides[d] * xShape[d];
      index[d] = 0;
    }
  }
}
