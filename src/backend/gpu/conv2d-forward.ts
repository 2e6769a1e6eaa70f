import type { Conv2dGeometry } from '../kernels.js';
import { conv2dConstants, conv2dVolumes } from './conv2d-constants.js';
import type { KernelThis, Volume } from './gpujs.js';
import type { GpuKernelRunner } from './kernel-runner.js';
import { reductionChunk, sumChunks } from './volumes.js';

/**
 * Convolution forward on gpu.js, a gather per output element y[n, o, oh, ow] over the input
 * channels of o's group and the kernel taps. Output [OW, OH, N * O * chunks]; when a group has
 * more channels than one pass should sum, the channels are split into chunks summed on the host.
 */
export function conv2dForwardChunk(this: KernelThis, x: Volume, w: Volume): number {
  const ow = this.thread.x;
  const oh = this.thread.y;
  // +0.5 keeps floor() exact even where float division rounds an integer quotient down.
  const plane = Math.floor((this.thread.z + 0.5) / this.constants.CHUNKS);
  const chunk = this.thread.z - plane * this.constants.CHUNKS;
  const n = Math.floor((plane + 0.5) / this.constants.O);
  const o = plane - n * this.constants.O;
  const group = Math.floor((o + 0.5) / this.constants.OG);
  let sum = 0;
  for (let q = 0; q < this.constants.CHANNEL_CHUNK; q++) {
    const c = chunk * this.constants.CHANNEL_CHUNK + q;
    if (c < this.constants.CG) {
      const inPlane = n * this.constants.C + group * this.constants.CG + c;
      const weightPlane = o * this.constants.CG + c;
      for (let kh = 0; kh < this.constants.KH; kh++) {
        const ih = oh * this.constants.SH - this.constants.PH + kh;
        if (ih >= 0 && ih < this.constants.H) {
          for (let kw = 0; kw < this.constants.KW; kw++) {
            const iw = ow * this.constants.SW - this.constants.PW + kw;
            if (iw >= 0 && iw < this.constants.W) {
              sum += x[inPlane][ih][iw] * w[weightPlane][kh][kw];
            }
          }
        }
      }
    }
  }
  return sum;
}

/** out[N, O, OH, OW] = input (*) weight, float32 storage. */
export function conv2dForwardGpu(
  runner: GpuKernelRunner,
  input: Float32Array,
  weight: Float32Array,
  out: Float32Array,
  g: Conv2dGeometry,
): void {
  const volumes = conv2dVolumes(g);
  const inPerGroup = g.inChannels / g.groups;
  const channelChunk = Math.min(inPerGroup, Math.max(1, Math.floor(reductionChunk / (g.kernelHeight * g.kernelWidth))));
  const chunks = Math.ceil(inPerGroup / channelChunk);
  const partial = runner.run(
    'conv2dForward',
    conv2dForwardChunk,
    [g.outWidth, g.outHeight, g.batch * g.outChannels * chunks],
    { ...conv2dConstants(g), CHANNEL_CHUNK: channelChunk, CHUNKS: chunks },
    [
      [input.subarray(0, volumes.input[0] * volumes.input[1] * volumes.input[2]), volumes.input],
      [weight.subarray(0, volumes.weight[0] * volumes.weight[1] * volumes.weight[2]), volumes.weight],
    ],
  );
  sumChunks(partial, g.batch * g.outChannels, chunks, g.outHeight * g.outWidth, out);
}
