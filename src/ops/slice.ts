import { record } from '../tensor/autograd.js';
import { normalizeDim, stridesOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertTensor } from './shape-arguments.js';
import { copyStrided, placeStrided } from './strided.js';

/** Resolves a Python-style bound: negatives count from the end, then clamp to [0, size]. */
function resolveBound(op: string, argument: string, value: number, size: number): number {
  if (!Number.isInteger(value)) throw new Error(`${op}: ${argument} must be an integer, got ${value}`);
  const resolved = value < 0 ? value + size : value;
  return Math.min(Math.max(resolved, 0), size);
}

/**
 * Elements start, start + step, ... (< end) of `dim`, like x[..., start:end:step] in Python:
 * negative start/end count from the end and out-of-range bounds clamp. step must be positive.
 * Backward places the gradient into zeros at the sliced positions.
 */
export function slice(x: Tensor, dim: number, start: number, end?: number, step = 1): Tensor {
  assertTensor('slice', 'x', x);
  if (x.ndim === 0) throw new Error('slice: x is zero-dimensional; slice needs a tensor of rank >= 1');
  const d = normalizeDim('slice', dim, x.ndim);
  if (!Number.isInteger(step) || step < 1) throw new Error(`slice: step must be a positive integer, got ${step}`);
  const size = x.shape[d];
  const first = resolveBound('slice', 'start', start, size);
  const last = end === undefined ? size : resolveBound('slice', 'end', end, size);
  const length = Math.max(0, Math.ceil((last - first) / step));
  const shape = x.shape.map((s, k) => (k === d ? length : s));
  const strides = stridesOf(x.shape);
  const offset = first * strides[d];
  const viewStrides = strides.map((s, k) => (k === d ? s * step : s));
  const out = copyStrided(x.data, offset, shape, viewStrides, x.dtype);
  return record('slice', [x], out, (g) => [placeStrided(g, x.shape, offset, viewStrides)]);
}
