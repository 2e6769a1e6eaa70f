import { runKernel } from '../backend/registry.js';
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
 * Statistics accumulate in float64 whatever the dtype. The loops are the batchNormForward and
 * batchNormBackward kernels (src/backend/cpu/reference/batch-norm.ts is the plain version).
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

  const mean = new Float64Array(channels);
  const invStd = new Float64Array(channels);
  const squaredDeviations = new Float64Array(channels);
  if (!training) {
    for (let c = 0; c < channels; c++) {
      mean[c] = (runningMean as Tensor).data[c];
      invStd[c] = 1 / Math.sqrt((runningVar as Tensor).data[c] + eps);
    }
  }
  const out = allocate(x.dtype, x.size);
  const [w, b] = [weight?.data ?? null, bias?.data ?? null];
  const geometry = { batch, channels, inner, training, x: x.data, weight: w, mean, invStd };
  runKernel('batchNormForward', { ...geometry, out, eps, bias: b, squaredDeviations });
  if (training) {
    // Running statistics are buffers, not graph values: torch updates them in place too.
    for (let c = 0; c < channels; c++) {
      if (runningMean) runningMean.data[c] = (1 - momentum) * runningMean.data[c] + momentum * mean[c];
      if (runningVar) {
        runningVar.data[c] = (1 - momentum) * runningVar.data[c] + (momentum * squaredDeviations[c]) / (count - 1);
      }
    }
  }

  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null);
  return record('batchNorm', inputs, new Tensor(out, x.shape), (g) => {
    const gradInput = x.requiresGrad ? allocate(x.dtype, x.size) : null;
    const gradBias = new Float64Array(channels);
    const gradWeight = new Float64Array(channels);
    runKernel('batchNormBackward', { ...geometry, gradOutput: g.data, gradInput, gradBias, gradWeight });
    const grads: (Tensor | null)[] = [gradInput && new Tensor(gradInput, x.shape)];
    if (weight) grads.push(weight.requiresGrad ? channelTensor(weight, gradWeight) : null);
    if (bias) grads.push(bias.requiresGrad ? channelTensor(bias, gradBias) : null);
    return grads;
  });
}

/** A per-channel gradient in `like`'s dtype and shape, from its float64 accumulator. */
function channelTensor(like: Tensor, values: Float64Array): Tensor {
  const out = allocate(like.dtype, values.length);
  out.set(values);
  return new Tensor(out, like.shape);
}
