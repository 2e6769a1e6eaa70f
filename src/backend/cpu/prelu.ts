import type { PreluBackwardProblem, PreluProblem } from '../kernels.js';
import { simdPlanes } from '../simd/simd-planes.js';
import { preluBackwardReference, preluReference } from './reference/prelu.js';

/**
 * The CPU backend's parametric ReLU: for float32 storage, the selection runs on WebAssembly SIMD
 * four lanes at a time without a branch (activations are half negative in no predictable order,
 * so the reference's `x > 0 ? ... : ...` mispredicts about once per two elements). Same bits as
 * the reference; the slope sums stay float64 and add in another order. Other storage, or SIMD
 * turned off, runs the reference.
 */

export function preluCpu(problem: PreluProblem): void {
  const { x, weight, out, outer, channels, inner } = problem;
  const planes = x instanceof Float32Array && out instanceof Float32Array ? simdPlanes() : null;
  if (!planes) {
    preluReference(problem);
    return;
  }
  const shared = weight.length === 1;
  const [xAt, outAt] = planes.stage(x.length, 2);
  planes.write(xAt, x as Float32Array);
  for (let n = 0, base = 0; n < outer; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      planes.run.planePrelu(xAt + base * 4, outAt + base * 4, inner, weight[shared ? 0 : c]);
    }
  }
  planes.read(outAt, out as Float32Array);
}

/** Both gradients in one SIMD pass (the training case); one gradient alone runs the reference. */
export function preluBackwardCpu(problem: PreluBackwardProblem): void {
  const { gradOutput: g, x, weight, gradInput, gradWeight, outer, channels, inner } = problem;
  const float32 = g instanceof Float32Array && x instanceof Float32Array && gradInput instanceof Float32Array;
  const planes = float32 && gradWeight ? simdPlanes() : null;
  if (!planes || !gradWeight) {
    preluBackwardReference(problem);
    return;
  }
  const shared = weight.length === 1;
  const [gAt, xAt, outAt] = planes.stage(x.length, 3);
  planes.write(gAt, g as Float32Array);
  planes.write(xAt, x as Float32Array);
  for (let n = 0, base = 0; n < outer; n++) {
    for (let c = 0; c < channels; c++, base += inner) {
      const at = base * 4;
      gradWeight[shared ? 0 : c] += planes.run.planePreluGradient(
        gAt + at,
        xAt + at,
        outAt + at,
        inner,
        weight[shared ? 0 : c],
      );
    }
  }
  planes.read(outAt, gradInput as Float32Array);
}
