import type { PreluBackwardProblem, PreluProblem } from '../../kernels.js';

/**
 * Reference parametric ReLU kernels, as plain loops over any storage. Memory is `outer` blocks of
 * `channels` contiguous planes of `inner` elements (NCHW), so the loops walk plane by plane with
 * the slope of the plane's channel in a local.
 */

export function preluReference({ x, weight, out, outer, channels, inner }: PreluProblem): void {
  const shared = weight.length === 1;
  for (let n = 0, base = 0; n < outer; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      const slope = weight[shared ? 0 : c];
      const end = base + inner;
      for (let k = base; k < end; k++) {
        const v = x[k];
        out[k] = v > 0 ? v : slope * v;
      }
    }
  }
}

/** gradInput = g where x > 0 else slope * g; gradWeight = sum of g * x over its channel where x <= 0. */
export function preluBackwardReference(problem: PreluBackwardProblem): void {
  const { gradOutput: g, x, weight, gradInput, gradWeight, outer, channels, inner } = problem;
  const shared = weight.length === 1;
  for (let n = 0, base = 0; n < outer; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      const slope = weight[shared ? 0 : c];
      const end = base + inner;
      if (gradInput) for (let k = base; k < end; k++) gradInput[k] = x[k] > 0 ? g[k] : slope * g[k];
      if (gradWeight) {
        // One float64 partial sum per plane, added to the channel's total once.
        let planeSum = 0;
        for (let k = base; k < end; k++) {
          const v = x[k];
          if (!(v > 0)) planeSum += g[k] * v;
        }
        gradWeight[shared ? 0 : c] += planeSum;
      }
    }
  }
}
