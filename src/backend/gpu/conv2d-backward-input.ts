import type { Conv2dGeometry } from '../kernels.js';
import { conv2dConstants, conv2dVolumes } from './conv2d-constants.js';
import type { KernelThis, Volume } from './gpujs.js';
import type { GpuKernelRunner } from './kernel-runner.js';
import { reductionChunk, sumChunks } from './volumes.js';

/**
 * Gradient of the convolution with respect to its input, as a gather (fragment shaders cannot
 * scatter): dx[n, ci, ih, iw] sums gy[n, o, oh, ow] * w[o, c, kh, kw] over the output channels o
 * of ci's group and the taps with ih = oh * SH - PH + kh (likewise for w). Output
 * [W, H, N * C * chunks]; output channels are split into host-summed chunks when a pass would be long.
 */
export function conv2dBackwardInputChunk(this: KernelThis, gy: Volume, w: Volume): number {
  const iw = this.thread.x;
  const ih = this.thread.y;
  const plane = Math.floor((this.thread.z + 0.5) / this.constants.CHUNKS);
  const chunk = this.thread.z - plane * this.constants.CHUNKS;
  const n = Math.floor((plane + 0.5) / this.constants.C);
  const inChannel = plane - n * this.constants.C;
  const group = Math.floor((inChannel + 0.5) / this.constants.CG);
  const c = inChannel - group * this.constants.CG;
  let sum = 0;
  for (let q = 0; q < this.constants.OUT_CHUNK; q++) {
    const j = chunk * this.constants.OUT_CHUNK + q;
    if (j < this.constants.OG) {
      const o = group * this.constants.OG + j;
      const outPlane = n * this.constants.O + o;
      const weightPlane = o * this.constants.CG + c;
      for (let kh = 0; kh < this.constants.KH; kh++) {
        const th = ih + this.constants.PH - kh;
        // +0.5 keeps floor() exact; the product test keeps only taps that a stride lands on.
        const oh = Math.floor((th + 0.5) / this.constants.SH);
        if (th >= 0 && oh * this.constants.SH === th && oh < this.constants.OH) {
          for (let kw = 0; kw < this.constants.KW; kw++) {
            const tw = iw + this.constants.PW - kw;
            const ow = Math.floor((tw + 0.5) / this.constants.SW);
            if (tw >= 0 && ow * this.constants.SW === tw && ow < this.constants.OW) {
              sum += gy[outPlane][oh][ow] * w[weightPlane][kh][kw];
            }
          }
        }
      }
    }
  }
  return sum;
}

/** gradInput[N, C, H, W] from gradOutput and weight, float32 storage. */
export function conv2dBackwardInputGpu(
  runner: GpuKernelRunner,
  gradOutput: Float32Array,
  weight: Float32Array,
  gradInput: Float32Array,
  g: Conv2dGeometry,
): void {
  const volumes = conv2dVolumes(g);
  const outPerGroup = g.outChannels / g.groups;
  const outChunk = Math.min(outPerGroup, Math.max(1, Math.floor(reductionChunk / (g.kernelHeight * g.kernelWidth))));
  const chunks = Math.ceil(outPerGroup / outChunk);
  const partial = runner.run(
    'conv2dBackwardInput',
    conv2dBackwardInputChunk,
    [g.inWidth, g.inHeight, g.batch * g.inChannels * chunks],
    { ...conv2dConstants(g), OUT_CHUNK: outChunk, CHUNKS: chunks },
    [
      [gradOutput.subarray(0, volumes.output[0] * volumes.output[1] * volumes.output[2]), volumes.output],
      [weight.subarray(0, volumes.weight[0] * volumes.weight[1] * volumes.weight[2]), volumes.weight],
    ],
  );
  sumChunks(partial, g.batch * g.inChannels, chunks, g.inHeight * g.inWidth, gradInput);
}
