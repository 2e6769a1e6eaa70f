import { type SimdPlanes, simdPlanes } from '../backend/simd/simd-planes.js';
import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { assertFinite } from './operand.js';

/** Options of {@link batchNorm}; the defaults are torch.nn.functional.batch_norm's. */
export interface BatchNormOptions {
  /** Per-channel scale (gamma), shape [C]; 1 when omitted. */
  weight?: Tensor | null;
  /** Per-channel shift (beta), shape [C]; 0 when omitted. */
  bias?: Tensor | null;
  /** Running mean buffer [C]: read in eval mode, updated in place in training mode. */
  runningMean?: Tensor | null;
  /** Running variance buffer [C]: read in eval mode, updated in place in training mode. */
  runningVar?: Tensor | null;
  /** Normalise with the batch's statistics (true) or the running ones (false). Default false. */
  training?: boolean;
  /** Weight of the new batch statistic in the running average. Default 0.1. */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
}

function checkChannelTensor(argument: string, t: Tensor | null | undefined, channels: number): void {
  if (t && (t.ndim !== 1 || t.shape[0] !== channels)) {
    throw new Error(`batchNorm: ${argument} has shape ${formatShape(t.shape)} but the input has ${channels} channels`);
  }
}

/**
 * Batch normalisation over dim 1 of an [N, C, ...] input, as one fused differentiable op
 * (it runs after every convolution, so a composite of mean/var/sub/div would cost several passes
 * and graph nodes per layer). Follows torch.nn.functional.batch_norm
 * (https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html):
 * training normalises with the batch mean and the biased variance, and moves the running
 * estimates by `momentum` toward the batch mean and the unbiased variance (in place, outside the
 * graph); eval normalises with the running estimates.
 * Backward (training), with M elements per channel and xhat the normalised input:
 * dx = invstd / M * (M * g*w - sum(g*w) - xhat * sum(g*w*xhat)); dw = sum(g * xhat); db = sum(g).
 * Statistics accumulate in float64 whatever the dtype.
 */
export function batchNorm(x: Tensor, options: BatchNormOptions = {}): Tensor {
  const { weight = null, bias = null, runningMean = null, runningVar = null } = options;
  const { training = false, momentum = 0.1, eps = 1e-5 } = options;
  assertFinite('batchNorm', 'momentum', momentum);
  assertFinite('batchNorm', 'eps', eps);
  if (x.ndim < 2) throw new Error(`batchNorm: input must have shape [N, C, ...], got ${formatShape(x.shape)}`);
  const batch = x.shape[0];
  const channels = x.shape[1];
  const inner = x.size / Math.max(1, batch * channels);
  checkChannelTensor('weight', weight, channels);
  checkChannelTensor('bias', bias, channels);
  checkChannelTensor('runningMean', runningMean, channels);
  checkChannelTensor('runningVar', runningVar, channels);
  const count = batch * inner;
  if (training && count <= 1) {
    throw new Error(
      `batchNorm: expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)}`,
    );
  }
  if (!training && (!runningMean || !runningVar)) {
    throw new Error('batchNorm: eval mode needs runningMean and runningVar');
  }

  // Memory is `batch` blocks of `channels` contiguous planes of `inner` elements (NCHW): every loop
  // walks the planes in memory order with its channel's constants in locals, and sums each plane
  // into a float64 local before adding it to the channel's total.
  const xd = x.data;
  const mean = new Float64Array(channels);
  const invStd = new Float64Array(channels);
  // float32 input: the same loops on WebAssembly SIMD, over a copy of x in the module's memory.
  const planes = xd instanceof Float32Array ? simdPlanes() : null;
  const [xAt, outAt] = planes ? planes.stage(x.size, 2) : [0, 0];
  if (planes) planes.write(xAt, xd as Float32Array);
  if (training) {
    const sums = new Float64Array(channels);
    for (let n = 0, base = 0; n < batch; n++) {
      for (let c = 0; c < channels; c++, base += inner) {
        if (planes) {
          sums[c] += planes.run.planeSum(xAt + base * 4, inner);
          continue;
        }
        let planeSum = 0;
        const end = base + inner;
        for (let k = base; k < end; k++) planeSum += xd[k];
        sums[c] += planeSum;
      }
    }
    for (let c = 0; c < channels; c++) mean[c] = sums[c] / count;
    // Squared deviations from the mean (two passes, not E[x^2] - E[x]^2, which cancels badly).
    const squares = sums.fill(0);
    for (let n = 0, base = 0; n < batch; n++) {
      for (let c = 0; c < channels; c++, base += inner) {
        const m = mean[c];
        if (planes) {
          squares[c] += planes.run.planeSquaredDeviation(xAt + base * 4, inner, m);
          continue;
        }
        let planeSquares = 0;
        const end = base + inner;
        for (let k = base; k < end; k++) {
          const d = xd[k] - m;
          planeSquares += d * d;
        }
        squares[c] += planeSquares;
      }
    }
    for (let c = 0; c < channels; c++) {
      const m = mean[c];
      invStd[c] = 1 / Math.sqrt(squares[c] / count + eps);
      // Running statistics are buffers, not graph values: torch updates them in place too.
      if (runningMean) runningMean.data[c] = (1 - momentum) * runningMean.data[c] + momentum * m;
      if (runningVar) runningVar.data[c] = (1 - momentum) * runningVar.data[c] + (momentum * squares[c]) / (count - 1);
    }
  } else {
    for (let c = 0; c < channels; c++) {
      mean[c] = (runningMean as Tensor).data[c];
      invStd[c] = 1 / Math.sqrt((runningVar as Tensor).data[c] + eps);
    }
  }

  const scales = new Float64Array(channels);
  const shifts = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    scales[c] = invStd[c] * (weight ? weight.data[c] : 1);
    shifts[c] = (bias ? bias.data[c] : 0) - mean[c] * scales[c];
  }
  const out = allocate(x.dtype, x.size);
  for (let n = 0, base = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      const scale = scales[c];
      const shift = shifts[c];
      if (planes) {
        planes.run.planeAffine(xAt + base * 4, outAt + base * 4, inner, scale, shift);
        continue;
      }
      const end = base + inner;
      for (let k = base; k < end; k++) out[k] = xd[k] * scale + shift;
    }
  }
  if (planes) planes.read(outAt, out as Float32Array);
  const output = new Tensor(out, x.shape);

  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null);
  return record('batchNorm', inputs, output, (g) => {
    const gd = g.data;
    const sumG = new Float64Array(channels);
    const sumGXhat = new Float64Array(channels);
    const backwardPlanes = gd instanceof Float32Array && xd instanceof Float32Array ? simdPlanes() : null;
    if (backwardPlanes && training) {
      const gx = x.requiresGrad ? allocate(x.dtype, x.size) : null;
      simdNormBackward(
        backwardPlanes,
        gd as Float32Array,
        xd as Float32Array,
        gx as Float32Array | null,
        batch,
        channels,
        inner,
        mean,
        invStd,
        weight,
        sumG,
        sumGXhat,
      );
      const grads: (Tensor | null)[] = [gx && new Tensor(gx, x.shape)];
      if (weight) grads.push(weight.requiresGrad ? channelTensor(weight, sumGXhat) : null);
      if (bias) grads.push(bias.requiresGrad ? channelTensor(bias, sumG) : null);
      return grads;
    }
    // sum(g) and sum(g * xhat) per channel in one pass.
    for (let c = 0; c < channels; c++) {
      const m = mean[c];
      let sg = 0;
      let sgx = 0;
      for (let n = 0; n < batch; n++) {
        const base = (n * channels + c) * inner;
        const end = base + inner;
        for (let k = base; k < end; k++) {
          const gv = gd[k];
          sg += gv;
          sgx += gv * (xd[k] - m);
        }
      }
      sumG[c] = sg;
      sumGXhat[c] = sgx * invStd[c];
    }
    let gradX: Tensor | null = null;
    if (x.requiresGrad) {
      const gx = allocate(x.dtype, x.size);
      // Per channel: gx = w s (g - mean(g) - xhat mean(g xhat)) in training (the batch statistics
      // depend on x), gx = w s g in eval; xhat = (x - m) s.
      const gradScales = new Float64Array(channels);
      const meanGs = new Float64Array(channels);
      const xhatCoefficients = new Float64Array(channels);
      for (let c = 0; c < channels; c++) {
        gradScales[c] = (weight ? weight.data[c] : 1) * invStd[c];
        meanGs[c] = training ? sumG[c] / count : 0;
        xhatCoefficients[c] = training ? (invStd[c] * sumGXhat[c]) / count : 0;
      }
      for (let n = 0, base = 0; n < batch; n++) {
        for (let c = 0; c < channels; c++, base += inner) {
          const scale = gradScales[c];
          const end = base + inner;
          if (training) {
            const m = mean[c];
            const meanG = meanGs[c];
            const xCoefficient = xhatCoefficients[c];
            for (let k = base; k < end; k++) gx[k] = scale * (gd[k] - meanG - (xd[k] - m) * xCoefficient);
          } else {
            for (let k = base; k < end; k++) gx[k] = gd[k] * scale;
          }
        }
      }
      gradX = new Tensor(gx, x.shape);
    }
    const grads: (Tensor | null)[] = [gradX];
    if (weight) grads.push(weight.requiresGrad ? channelTensor(weight, sumGXhat) : null);
    if (bias) grads.push(bias.requiresGrad ? channelTensor(bias, sumG) : null);
    return grads;
  });
}

/**
 * The training backward on WebAssembly SIMD, for float32 g and x: fills sumG and sumGXhat per
 * channel and, when gx is given, gx = w s (g - mean(g) - xhat mean(g xhat)) as the loops above.
 */
function simdNormBackward(
  planes: SimdPlanes,
  gd: Float32Array,
  xd: Float32Array,
  gx: Float32Array | null,
  batch: number,
  channels: number,
  inner: number,
  mean: Float64Array,
  invStd: Float64Array,
  weight: Tensor | null,
  sumG: Float64Array,
  sumGXhat: Float64Array,
): void {
  const [gAt, xAt, outAt] = planes.stage(xd.length, 3);
  planes.write(gAt, gd);
  planes.write(xAt, xd);
  for (let n = 0, base = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      planes.run.planeGradientSums(gAt + base * 4, xAt + base * 4, inner, mean[c], 0);
      sumG[c] += planes.result(0);
      sumGXhat[c] += planes.result(1);
    }
  }
  const count = batch * inner;
  for (let c = 0; c < channels; c++) sumGXhat[c] *= invStd[c];
  if (gx === null) return;
  for (let n = 0, base = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      const scale = (weight ? weight.data[c] : 1) * invStd[c];
      const coefficient = (invStd[c] * sumGXhat[c]) / count;
      const at = base * 4;
      planes.run.planeNormGradient(gAt + at, xAt + at, outAt + at, inner, scale, sumG[c] / count, mean[c], coefficient);
    }
  }
  planes.read(outAt, gx);
}

/** A per-channel gradient in `like`'s dtype and shape, from its float64 accumulator. */
function channelTensor(like: Tensor, values: Float64Array): Tensor {
  const out = allocate(like.dtype, values.length);
  out.set(values);
  return new Tensor(out, like.shape);
}
