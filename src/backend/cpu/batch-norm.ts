import type { BatchNormBackwardProblem, BatchNormForwardProblem } from '../kernels.js';
import { type SimdPlanes, simdPlanes } from '../simd/simd-planes.js';
import { batchNormBackwardReference, batchNormForwardReference, channelScaleShift } from './reference/batch-norm.js';

/**
 * The CPU backend's batch normalisation: the reference loops on WebAssembly SIMD for float32
 * storage (the operands are copied into the module's memory once per call, a memcpy beside the
 * per-element work it replaces); any other storage, or SIMD turned off, runs the reference.
 * The float64 sums add two lanes at a time, so they may differ from the reference's by a rounding.
 */

export function batchNormForwardCpu(problem: BatchNormForwardProblem): void {
  const { x, out, batch, channels, inner } = problem;
  const planes = x instanceof Float32Array && out instanceof Float32Array ? simdPlanes() : null;
  if (!planes) {
    batchNormForwardReference(problem);
    return;
  }
  const [xAt, outAt] = planes.stage(x.length, 2);
  planes.write(xAt, x as Float32Array);
  if (problem.training) batchStatistics(planes, xAt, problem);
  const { scales, shifts } = channelScaleShift(problem);
  for (let n = 0, base = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      planes.run.planeAffine(xAt + base * 4, outAt + base * 4, inner, scales[c], shifts[c]);
    }
  }
  planes.read(outAt, out as Float32Array);
}

/** The reference's two passes (sum, then squared deviations from the mean) over the staged x. */
function batchStatistics(planes: SimdPlanes, xAt: number, problem: BatchNormForwardProblem): void {
  const { batch, channels, inner, eps, mean, invStd, squaredDeviations } = problem;
  const count = batch * inner;
  const sums = new Float64Array(channels);
  squaredDeviations.fill(0);
  for (let n = 0, base = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++, base += inner) sums[c] += planes.run.planeSum(xAt + base * 4, inner);
  }
  for (let c = 0; c < channels; c++) mean[c] = sums[c] / count;
  for (let n = 0, base = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      squaredDeviations[c] += planes.run.planeSquaredDeviation(xAt + base * 4, inner, mean[c]);
    }
  }
  for (let c = 0; c < channels; c++) invStd[c] = 1 / Math.sqrt(squaredDeviations[c] / count + eps);
}

/** The training backward on SIMD for float32 gradOutput and x; eval (one multiply) runs the reference. */
export function batchNormBackwardCpu(problem: BatchNormBackwardProblem): void {
  const { gradOutput: g, x, gradInput, batch, channels, inner, weight, mean, invStd, gradBias, gradWeight } = problem;
  const planes = problem.training && g instanceof Float32Array && x instanceof Float32Array ? simdPlanes() : null;
  if (!planes) {
    batchNormBackwardReference(problem);
    return;
  }
  const [gAt, xAt, outAt] = planes.stage(x.length, 3);
  planes.write(gAt, g as Float32Array);
  planes.write(xAt, x as Float32Array);
  for (let n = 0, base = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      planes.run.planeGradientSums(gAt + base * 4, xAt + base * 4, inner, mean[c], 0);
      gradBias[c] += planes.result(0);
      gradWeight[c] += planes.result(1);
    }
  }
  const count = batch * inner;
  for (let c = 0; c < channels; c++) gradWeight[c] *= invStd[c];
  if (gradInput === null) return;
  for (let n = 0, base = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      const scale = (weight ? weight[c] : 1) * invStd[c];
      const coefficient = (invStd[c] * gradWeight[c]) / count;
      const at = base * 4;
      planes.run.planeNormGradient(
        gAt + at,
        xAt + at,
        outAt + at,
        inner,
        scale,
        gradBias[c] / count,
        mean[c],
        coefficient,
      );
    }
  }
  planes.read(outAt, gradInput as Float32Array);
}
