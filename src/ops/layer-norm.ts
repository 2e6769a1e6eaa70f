import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { assertFinite } from './operand.js';

/** Options of {@link layerNorm}; defaults are PyTorch's. */
export interface LayerNormOptions {
  /** Per-element scale of normalizedShape (default: none, i.e. 1). */
  weight?: Tensor | null;
  /** Per-element shift of normalizedShape (default: none, i.e. 0). */
  bias?: Tensor | null;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/**
 * Layer normalisation (Ba et al. 2016, as torch.nn.functional.layer_norm): each sample is
 * normalised over its trailing dims `normalizedShape` with its own mean and biased variance,
 * y = (x - mean) / sqrt(var + eps) * weight + bias. Unlike batch norm, it needs no running
 * statistics and behaves the same in training and eval.
 *
 * Backward, per row of n elements with xhat = (x - mean) * rstd and d = g * weight:
 * dx = rstd * (d - mean(d) - xhat * mean(d * xhat)); dweight = sum over rows of g * xhat; dbias = sum of g.
 */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], options: LayerNormOptions = {}): Tensor {
  const { weight = null, bias = null, eps = 1e-5 } = options;
  assertFinite('layerNorm', 'eps', eps);
  if (!(x instanceof Tensor)) throw new Error(`layerNorm: input must be a tensor, got ${String(x)}`);
  const k = normalizedShape.length;
  if (k < 1 || k > x.ndim || !shapesEqual(x.shape.slice(x.ndim - k), normalizedShape)) {
    throw new Error(
      `layerNorm: normalizedShape ${formatShape(normalizedShape)} must be the trailing dims of the input, got input shape ${formatShape(x.shape)}`,
    );
  }
  for (const [name, parameter] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (parameter !== null && !shapesEqual(parameter.shape, normalizedShape)) {
      throw new Error(
        `layerNorm: ${name} has shape ${formatShape(parameter.shape)} but normalizedShape is ${formatShape(normalizedShape)}`,
      );
    }
  }
  const n = sizeOf(normalizedShape);
  const rows = x.data.length / n;
  const input = x.data;
  const w = weight?.data;
  const b = bias?.data;
  const normalized = new Float64Array(input.length);
  const rstd = new Float64Array(rows);
  const out = allocate(x.dtype, input.length);
  for (let r = 0; r < rows; r++) {
    const start = r * n;
    let total = 0;
    for (let i = 0; i < n; i++) total += input[start + i];
    const rowMean = total / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (input[start + i] - rowMean) ** 2;
    const inverse = 1 / Math.sqrt(squares / n + eps);
    rstd[r] = inverse;
    for (let i = 0; i < n; i++) {
      const xhat = (input[start + i] - rowMean) * inverse;
      normalized[start + i] = xhat;
      out[start + i] = xhat * (w ? w[i] : 1) + (b ? b[i] : 0);
    }
  }
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return record('layerNorm', inputs, new Tensor(out, x.shape), (g) => {
    const gd = g.data;
    const gradInput = allocate(g.dtype, input.length);
    const gradWeight = weight ? allocate(weight.dtype, n) : null;
    const gradBias = bias ? allocate(bias.dtype, n) : null;
    for (let r = 0; r < rows; r++) {
      const start = r * n;
      let meanD = 0;
      let meanDXhat = 0;
      for (let i = 0; i < n; i++) {
        const d = gd[start + i] * (w ? w[i] : 1);
        meanD += d;
        meanDXhat += d * normalized[start + i];
        if (gradWeight) gradWeight[i] += gd[start + i] * normalized[start + i];
        if (gradBias) gradBias[i] += gd[start + i];
      }
      meanD /= n;
      meanDXhat /= n;
      for (let i = 0; i < n; i++) {
        const d = gd[start + i] * (w ? w[i] : 1);
        gradInput[start + i] = rstd[r] * (d - meanD - normalized[start + i] * meanDXhat);
      }
    }
    return [
      new Tensor(gradInput, x.shape),
      ...(gradWeight ? [new Tensor(gradWeight, normalizedShape)] : []),
      ...(gradBias ? [new Tensor(gradBias, normalizedShape)] : []),
    ];
  });
}
