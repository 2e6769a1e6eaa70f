import { record } from '../tensor/autograd.js';
import type { Tensor } from '../tensor/tensor.js';
import { broadcastBinary, mapUnary } from './broadcast.js';

function assertBound(argument: string, value: number | undefined): void {
  if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value))) {
    throw new Error(`clamp: ${argument} must be a number or undefined, got ${String(value)}`);
  }
}

/**
 * Clamps x into [min, max] (either bound may be omitted, not both). Like torch.clamp, the result is
 * min(max(x, min), max), so max wins when min > max. d/dx = 1 where min <= x <= max, else 0:
 * PyTorch's convention, which passes the gradient at the bounds themselves.
 */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  assertBound('min', min);
  assertBound('max', max);
  if (min === undefined && max === undefined) throw new Error('clamp: at least one of min and max must be given');
  const low = min ?? Number.NEGATIVE_INFINITY;
  const high = max ?? Number.POSITIVE_INFINITY;
  // Math.max/min keep NaN inputs NaN, as in PyTorch.
  const out = mapUnary(x, (v) => Math.min(Math.max(v, low), high));
  return record('clamp', [x], out, (g) => [
    broadcastBinary('clamp', g, x, g.dtype, (gi, xi) => (xi >= low && xi <= high ? gi : 0)),
  ]);
}
