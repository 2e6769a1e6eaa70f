import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { blocksAroundDim } from './reduction-shape.js';

/** Options of {@link normalize}; the defaults are torch.nn.functional.normalize's. */
export interface NormalizeOptions {
  /** Exponent of the norm: any finite p > 0 (default 2). */
  p?: number;
  /** Dim along which vectors are normalised (default 1). */
  dim?: number;
  /** Lower bound of the divisor, so a zero vector maps to zero instead of NaN (default 1e-12). */
  eps?: number;
}

/**
 * x / max(||x||_p, eps) along `dim`, exactly as torch.nn.functional.normalize. With n = ||x||_p and
 * d = max(n, eps), s = sum(g x): dx = g / d - [n >= eps] (s / d^2) dn/dx, where
 * dn/dx = sign(x) |x|^(p-1) / n^(p-1). Below eps the divisor is the constant eps (PyTorch's
 * clamp_min passes no gradient there), so a zero vector gets gradient g / eps, as in PyTorch.
 */
export function normalize(x: Tensor, options: NormalizeOptions = {}): Tensor {
  const { p = 2, dim = 1, eps = 1e-12 } = options;
  if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0) {
    throw new Error(`normalize: p must be a finite number > 0, got ${String(p)}`);
  }
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) {
    throw new Error(`normalize: eps must be a finite number >= 0, got ${String(eps)}`);
  }
  const { outer, size, inner } = blocksAroundDim(x.shape, normalizeDim('normalize', dim, x.ndim));
  const xd = x.data;
  const norms = new Float64Array(outer * inner);
  const out = allocate(x.dtype, x.size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let total = 0;
      for (let j = 0; j < size; j++) total += Math.abs(xd[base + j * inner]) ** p;
      const norm = p === 2 ? Math.sqrt(total) : total ** (1 / p);
      norms[o * inner + i] = norm;
      const divisor = Math.max(norm, eps);
      for (let j = 0; j < size; j++) out[base + j * inner] = xd[base + j * inner] / divisor;
    }
  }
  return record('normalize', [x], new Tensor(out, x.shape), (g) => {
    const gd = g.data;
    const grad = allocate(g.dtype, x.size);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * size * inner + i;
        const norm = norms[o * inner + i];
        const divisor = Math.max(norm, eps);
        let dot = 0;
        for (let j = 0; j < size; j++) dot += gd[base + j * inner] * xd[base + j * inner];
        // The norm's own gradient only flows where clamp_min(norm, eps) passes it (norm >= eps, norm > 0).
        const normScale = norm >= eps && norm > 0 ? dot / (divisor * divisor * norm ** (p - 1)) : 0;
        for (let j = 0; j < size; j++) {
          const v = xd[base + j * inner];
          const normGrad = p === 2 ? v : v === 0 ? 0 : Math.sign(v) * Math.abs(v) ** (p - 1);
          grad[base + j * inner] = gd[base + j * inner] / divisor - normScale * normGrad;
        }
      }
    }
    return [new Tensor(grad, x.shape)];
  });
}
