import { record } from '../tensor/autograd.js';
import type { Tensor } from '../tensor/tensor.js';
import { broadcastBinary, mapUnary } from './broadcast.js';
import { errorFunction } from './erf.js';
import { assertFinite } from './operand.js';

/** max(x, 0). d/dx = 1 where x > 0, else 0 (PyTorch's choice at the kink x = 0). */
export function relu(x: Tensor): Tensor {
  const out = mapUnary(x, (v) => (v > 0 ? v : Number.isNaN(v) ? v : 0));
  return record('relu', [x], out, (g) => [broadcastBinary('relu', g, x, g.dtype, (gi, xi) => (xi > 0 ? gi : 0))]);
}

/** 1 / (1 + e^-v) for one number; each branch exponentiates a non-positive number, so neither overflows for large |v|. */
export function logistic(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** Logistic sigmoid 1 / (1 + e^-x). d/dx = y (1 - y), read from the output. */
export function sigmoid(x: Tensor): Tensor {
  const out = mapUnary(x, logistic);
  return record('sigmoid', [x], out, (g) => [
    broadcastBinary('sigmoid', g, out, g.dtype, (gi, yi) => gi * yi * (1 - yi)),
  ]);
}

/** Hyperbolic tangent. d/dx = 1 - y^2, read from the output. */
export function tanh(x: Tensor): Tensor {
  const out = mapUnary(x, Math.tanh);
  return record('tanh', [x], out, (g) => [broadcastBinary('tanh', g, out, g.dtype, (gi, yi) => gi * (1 - yi * yi))]);
}

const inverseSqrt2 = 1 / Math.SQRT2;
const inverseSqrt2Pi = 1 / Math.sqrt(2 * Math.PI);

/**
 * GELU in its exact (erf) form, PyTorch's default (approximate='none'): x * Phi(x) with Phi the
 * standard normal CDF, 0.5 (1 + erf(x / sqrt 2)) (Hendrycks and Gimpel 2016).
 * d/dx = Phi(x) + x * phi(x), phi the standard normal density.
 */
export function gelu(x: Tensor): Tensor {
  const out = mapUnary(x, (v) => 0.5 * v * (1 + errorFunction(v * inverseSqrt2)));
  return record('gelu', [x], out, (g) => [
    broadcastBinary('gelu', g, x, g.dtype, (gi, xi) => {
      const cdf = 0.5 * (1 + errorFunction(xi * inverseSqrt2));
      return gi * (cdf + xi * inverseSqrt2Pi * Math.exp(-0.5 * xi * xi));
    }),
  ]);
}

/** SiLU (swish) x * sigmoid(x), as torch.nn.functional.silu. d/dx = s (1 + x (1 - s)) with s = sigmoid(x). */
export function silu(x: Tensor): Tensor {
  const out = mapUnary(x, (v) => v * logistic(v));
  return record('silu', [x], out, (g) => [
    broadcastBinary('silu', g, x, g.dtype, (gi, xi) => {
      const s = logistic(xi);
      return gi * s * (1 + xi * (1 - s));
    }),
  ]);
}

/** Options of {@link softplus}; defaults are PyTorch's. */
export interface SoftplusOptions {
  /** Sharpness: softplus(x) = log(1 + e^(beta x)) / beta. Default 1. */
  beta?: number;
  /** Above beta * x > threshold the function is the identity, as in PyTorch. Default 20. */
  threshold?: number;
}

/**
 * log(1 + e^(beta x)) / beta, a smooth relu, as torch.nn.functional.softplus.
 * d/dx = sigmoid(beta x), and exactly 1 where beta * x > threshold (PyTorch's linear region).
 */
export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  const { beta = 1, threshold = 20 } = options;
  assertFinite('softplus', 'beta', beta);
  assertFinite('softplus', 'threshold', threshold);
  if (beta === 0) throw new Error('softplus: beta must be nonzero, got 0');
  // log1p keeps precision where e^(beta x) is tiny; the threshold keeps e^(beta x) from overflowing.
  const out = mapUnary(x, (v) => (v * beta > threshold ? v : Math.log1p(Math.exp(v * beta)) / beta));
  return record('softplus', [x], out, (g) => [
    broadcastBinary('softplus', g, x, g.dtype, (gi, xi) => (xi * beta > threshold ? gi : gi * logistic(xi * beta))),
  ]);
}
