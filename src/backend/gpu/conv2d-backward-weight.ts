import type { Conv2dGeometry } from '../kernels.js';
import { conv2dConstants, conv2dVolumes } from './conv2d-constants.js';
import type { KernelThis, Volume } from './gpujs.js';
import type { GpuKernelRunner } from './kernel-runner.js';
import { reductionChunk, sumChunks } from './volumes.js';

/**
 * Gradient of the convolution with respect to its weight: dw[o, c, kh, kw] sums
 * gy[n, o, oh, ow] * x[n, g*CG + c, oh*SH - PH + kh, ow*SW - PW + kw] over n, oh, ow. That
 * reduction is as long as the batch times the output plane, so it is split into chunks of
 * ROW_CHUNK output rows (n, oh) per invocation: PLANES = O * CG * chunks planes of [KW, KH],
 * summed on the host. WebGPU dispatches at most 65535 workgroups along z (gpu.js uses 8x8x1), and
 * a 1x1 convolution of 128 -> 512 channels alone has 65536 planes, so SPLIT consecutive planes
 * share one z slice, stacked along y: output [KW, KH * SPLIT, ceil(PLANES / SPLIT)]. Its flat
 * order is still plane after plane; the slots past PLANES hold zeros.
 */
export function conv2dBackwardWeightChunk(this: KernelThis, x: Volume, gy: Volume): number {
  const kw = this.thread.x;
  const low = Math.floor((this.thread.y + 0.5) / this.constants.KH);
  const kh = this.thread.y - low * this.constants.KH;
  const z = this.thread.z * this.constants.SPLIT + low;
  const plane = Math.floor((z + 0.5) / this.constants.CHUNKS);
  const chunk = z - plane * this.constants.CHUNKS;
  const o = Math.floor((plane + 0.5) / this.constants.CG);
  const c = plane - o * this.constants.CG;
  const group = Math.floor((o + 0.5) / this.constants.OG);
  let sum = 0;
  for (let q = 0; q < this.constants.ROW_CHUNK; q++) {
    const row = chunk * this.constants.ROW_CHUNK + q;
    if (z < this.constants.PLANES && row < this.constants.ROWS) {
      const n = Math.floor((row + 0.5) / this.constants.OH);
      const oh = row - n * this.constants.OH;
      const ih = oh * this.constants.SH - this.constants.PH + kh;
      if (ih >= 0 && ih < this.constants.H) {
        const inPlane = n * this.constants.C + group * this.constants.CG + c;
        const outPlane = n * this.constants.O + o;
        for (let ow = 0; ow < this.constants.OW; ow++) {
          const iw = ow * this.constants.SW - this.constants.PW + kw;
          if (iw >= 0 && iw < this.constants.W) {
            sum += gy[outPlane][oh][ow] * x[inPlane][ih][iw];
          }
        }
      }
    }
  }
  return sum;
}

/** The most workgroups WebGPU dispatches along one dimension. */
const maxWorkgroups = 65535;

/** gradWeight[O, C / groups, KH, KW] from input and gradOutput, float32 storage. */
export function conv2dBackwardWeightGpu(
  runner: GpuKernelRunner,
  input: Float32Array,
  gradOutput: Float32Array,
  gradWeight: Float32Array,
  g: Conv2dGeometry,
): void {
  const volumes = conv2dVolumes(g);
  const rows = g.batch * g.outHeight;
  const rowChunk = Math.min(rows, Math.max(1, Math.floor(reductionChunk / g.outWidth)));
  const chunks = Math.ceil(rows / rowChunk);
  const weightPlanes = volumes.weight[2];
  const planes = weightPlanes * chunks;
  const split = Math.ceil(planes / maxWorkgroups);
  const partial = runner.run(
    'conv2dBackwardWeight',
    conv2dBackwardWeightChunk,
    [g.kernelWidth, g.kernelHeight * split, Math.ceil(planes / split)],
    { ...conv2dConstants(g), ROWS: rows, ROW_CHUNK: rowChunk, CHUNKS: chunks, PLANES: planes, SPLIT: split },
    [
      [input.subarray(0, volumes.input[0] * volumes.input[1] * volumes.input[2]), volumes.input],
      [gradOutput.subarray(0, volumes.output[0] * volumes.output[1] * volumes.output[2]), volumes.output],
    ],
  );
  sumChunks(partial, weightPlanes, chunks, g.kernelHeight * g.kernelWidth, gradWeight);
}
