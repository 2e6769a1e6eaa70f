import type { Storage } from '../../../tensor/dtype.js';
import type { BatchNormBackwardProblem, BatchNormForwardProblem } from '../../kernels.js';

/**
 * Reference batch normalisation kernels, as plain loops over any storage. Memory is `batch`
 * blocks of `channels` contiguous planes of `inner` elements (NCHW): every loop walks the planes
 * in memory order with its channel's constants in locals, and sums each plane into a float64
 * local before adding it to the channel's total.
 */

/** Per channel, the factor and offset that normalise: out = x * scale + shift. */
export function channelScaleShift(problem: BatchNormForwardProblem): { scales: Float64Array; shifts: Float64Array } {
  const { channels, weight, bias, mean, invStd } = problem;
  const scales = new Float64Array(channels);
  const shifts = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    scales[c] = invStd[c] * (weight ? weight[c] : 1);
    shifts[c] = (bias ? bias[c] : 0) - mean[c] * scales[c];
  }
  return { scales, shifts };
}

/** The batch mean, sum of squared deviations and 1/sqrt(variance + eps) per channel, from the batch. */
function batchStatistics(problem: BatchNormForwardProblem): void {
  const { x, batch, channels, inner, eps, mean, invStd, squaredDeviations } = problem;
  const count = batch * inner;
  const sums = new Float64Array(channels);
  squaredDeviations.fill(0);
  for (let n = 0, base = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      let planeSum = 0;
      const end = base + inner;
      for (let k = base; k < end; k++) planeSum += x[k];
      sums[c] += planeSum;
    }
  }
  for (let c = 0; c < channels; c++) mean[c] = sums[c] / count;
  // Squared deviations from the mean (two passes, not E[x^2] - E[x]^2, which cancels badly).
  for (let n = 0, base = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      const m = mean[c];
      let planeSquares = 0;
      const end = base + inner;
      for (let k = base; k < end; k++) {
        const d = x[k] - m;
        planeSquares += d * d;
      }
      squaredDeviations[c] += planeSquares;
    }
  }
  for (let c = 0; c < channels; c++) invStd[c] = 1 / Math.sqrt(squaredDeviations[c] / count + eps);
}

export function batchNormForwardReference(problem: BatchNormForwardProblem): void {
  const { x, out, batch, channels, inner } = problem;
  if (problem.training) batchStatistics(problem);
  const { scales, shifts } = channelScaleShift(problem);
  for (let n = 0, base = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      const scale = scales[c];
      const shift = shifts[c];
      const end = base + inner;
      for (let k = base; k < end; k++) out[k] = x[k] * scale + shift;
    }
  }
}

/**
 * With M elements per channel and xhat = (x - mean) * invStd:
 * gradBias = sum(g); gradWeight = sum(g * xhat);
 * gradInput = w invStd (g - mean(g) - xhat mean(g xhat)) in training (the batch statistics depend
 * on x), w invStd g in eval.
 */
export function batchNormBackwardReference(problem: BatchNormBackwardProblem): void {
  const { gradOutput: g, x, gradInput, batch, channels, inner, mean, invStd, gradBias, gradWeight } = problem;
  // sum(g) and sum(g * xhat) per channel in one pass.
  for (let c = 0; c < channels; c++) {
    const m = mean[c];
    let sg = 0;
    let sgx = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * inner;
      const end = base + inner;
      for (let k = base; k < end; k++) {
        const gv = g[k];
        sg += gv;
        sgx += gv * (x[k] - m);
      }
    }
    gradBias[c] = sg;
    gradWeight[c] = sgx * invStd[c];
  }
  if (gradInput) inputGradient(problem, gradInput);
}

function inputGradient(problem: BatchNormBackwardProblem, gx: Storage): void {
  const { gradOutput: g, x, batch, channels, inner, training, weight, mean, invStd, gradBias, gradWeight } = problem;
  const count = batch * inner;
  const gradScales = new Float64Array(channels);
  const meanGs = new Float64Array(channels);
  const xhatCoefficients = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    gradScales[c] = (weight ? weight[c] : 1) * invStd[c];
    meanGs[c] = training ? gradBias[c] / count : 0;
    xhatCoefficients[c] = training ? (invStd[c] * gradWeight[c]) / count : 0;
  }
  for (let n = 0, base = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      const scale = gradScales[c];
      const end = base + inner;
      if (training) {
        const m = mean[c];
        const meanG = meanGs[c];
        const xCoefficient = xhatCoefficients[c];
        for (let k = base; k < end; k++) gx[k] = scale * (g[k] - meanG - (x[k] - m) * xCoefficient);
      } else {
        for (let k = base; k < end; k++) gx[k] = g[k] * scale;
      }
    }
  }
}
