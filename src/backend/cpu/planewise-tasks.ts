import type { Workspace } from './gemm.js';
import type { KernelLibrary } from './kernel-library.js';
import type { ConvTaskArgs } from './task-types.js';

/** Forward of a one-input-channel-per-group conv (depthwise, stem): item = (image, output channel). */
export function planewiseForward(
  lib: KernelLibrary,
  workspace: Workspace,
  args: ConvTaskArgs,
  start: number,
  end: number,
): void {
  const g = args.geometry;
  const paddedHeight = g.inHeight + 2 * g.paddingHeight;
  const paddedWidth = g.inWidth + 2 * g.paddingWidth;
  const padded = lib.scratchArray(workspace, 'plane', paddedHeight * paddedWidth, args.x instanceof Float64Array);
  const outPerGroup = g.outChannels / g.groups;
  const taps = g.kernelHeight * g.kernelWidth;
  const outPlane = g.outHeight * g.outWidth;
  let paddedIndex = -1;
  for (let item = start; item < end; item++) {
    const n = Math.floor(item / g.outChannels);
    const oc = item - n * g.outChannels;
    const plane = n * g.inChannels + Math.floor(oc / outPerGroup);
    // Consecutive output channels of the stem read the same plane: pad it once.
    if (plane !== paddedIndex) {
      const { inHeight, inWidth, paddingHeight, paddingWidth } = g;
      lib.padPlane(
        args.x,
        plane * inHeight * inWidth,
        inHeight,
        inWidth,
        paddingHeight,
        paddingWidth,
        padded,
        paddedHeight,
        paddedWidth,
      );
      paddedIndex = plane;
    }
    lib.planeCorrelate(
      padded,
      paddedWidth,
      args.w,
      oc * taps,
      g.kernelHeight,
      g.kernelWidth,
      g.strideHeight,
      args.y,
      item * outPlane,
      g.outHeight,
      g.outWidth,
    );
  }
}

/**
 * Input gradient of a planewise conv: item = (image, input channel), summing the group's output
 * channels. Depthwise stride 1 gathers (a correlation of the zero-bordered gradient with the
 * flipped kernel: one store per input); other strides scatter each gradient value over its taps.
 */
export function planewiseBackwardInput(
  lib: KernelLibrary,
  workspace: Workspace,
  args: ConvTaskArgs,
  start: number,
  end: number,
): void {
  const g = args.geometry;
  const float64 = args.x instanceof Float64Array;
  const outPerGroup = g.outChannels / g.groups;
  const taps = g.kernelHeight * g.kernelWidth;
  const inPlane = g.inHeight * g.inWidth;
  const outPlane = g.outHeight * g.outWidth;
  // Gathering costs taps per input and scattering taps per output: gather only where the output
  // plane is about as large as the input (not for conv10's 7x7 kernel on an 8x8 map, 2x2 out).
  const gather =
    outPerGroup === 1 &&
    g.strideHeight === 1 &&
    g.paddingHeight < g.kernelHeight &&
    g.paddingWidth < g.kernelWidth &&
    2 * outPlane >= inPlane;
  if (gather) {
    const padTop = g.kernelHeight - 1 - g.paddingHeight;
    const padLeft = g.kernelWidth - 1 - g.paddingWidth;
    const paddedHeight = g.outHeight + 2 * padTop;
    const paddedWidth = g.outWidth + 2 * padLeft;
    const padded = lib.scratchArray(workspace, 'planeGrad', paddedHeight * paddedWidth, float64);
    const flipped = lib.scratchArray(workspace, 'flippedKernel', taps, float64);
    for (let item = start; item < end; item++) {
      const ic = item % g.inChannels;
      for (let t = 0; t < taps; t++) flipped[t] = args.w[ic * taps + taps - 1 - t];
      lib.padPlane(
        args.y,
        item * outPlane,
        g.outHeight,
        g.outWidth,
        padTop,
        padLeft,
        padded,
        paddedHeight,
        paddedWidth,
      );
      lib.planeCorrelate(
        padded,
        paddedWidth,
        flipped,
        0,
        g.kernelHeight,
        g.kernelWidth,
        1,
        args.x,
        item * inPlane,
        g.inHeight,
        g.inWidth,
      );
    }
    return;
  }
  const paddedHeight = g.inHeight + 2 * g.paddingHeight;
  const paddedWidth = g.inWidth + 2 * g.paddingWidth;
  const padded = lib.scratchArray(workspace, 'planeGrad', paddedHeight * paddedWidth, float64);
  for (let item = start; item < end; item++) {
    const n = Math.floor(item / g.inChannels);
    const ic = item - n * g.inChannels;
    padded.fill(0, 0, paddedHeight * paddedWidth);
    for (let oc = ic * outPerGroup; oc < (ic + 1) * outPerGroup; oc++) {
      lib.planeScatter(
        args.y,
        (n * g.outChannels + oc) * outPlane,
        g.outHeight,
        g.outWidth,
        args.w,
        oc * taps,
        g.kernelHeight,
        g.kernelWidth,
        g.strideHeight,
        padded,
        paddedWidth,
      );
    }
    lib.unpadPlane(padded, paddedWidth, g.paddingHeight, g.paddingWidth, g.inHeight, g.inWidth, args.x, item * inPlane);
  }
}

/** Weight gradient of a planewise conv: item = output channel, summed over the batch in image order. */
export function planewiseBackwardWeight(
  lib: KernelLibrary,
  workspace: Workspace,
  args: ConvTaskArgs,
  start: number,
  end: number,
): void {
  const g = args.geometry;
  const paddedHeight = g.inHeight + 2 * g.paddingHeight;
  const paddedWidth = g.inWidth + 2 * g.paddingWidth;
  const padded = lib.scratchArray(workspace, 'plane', paddedHeight * paddedWidth, args.x instanceof Float64Array);
  const outPerGroup = g.outChannels / g.groups;
  const taps = g.kernelHeight * g.kernelWidth;
  const outPlane = g.outHeight * g.outWidth;
  const sums = lib.scratchArray(workspace, 'tapSums', (end - start) * taps, true) as Float64Array;
  sums.fill(0, 0, (end - start) * taps);
  for (let n = 0; n < g.batch; n++) {
    let paddedIndex = -1;
    for (let oc = start; oc < end; oc++) {
      const plane = n * g.inChannels + Math.floor(oc / outPerGroup);
      if (plane !== paddedIndex) {
        const { inHeight, inWidth, paddingHeight, paddingWidth } = g;
        lib.padPlane(
          args.x,
          plane * inHeight * inWidth,
          inHeight,
          inWidth,
          paddingHeight,
          paddingWidth,
          padded,
          paddedHeight,
          paddedWidth,
        );
        paddedIndex = plane;
      }
      lib.planeWeightSums(
        padded,
        paddedWidth,
        args.y,
        (n * g.outChannels + oc) * outPlane,
        g.outHeight,
        g.outWidth,
        g.kernelHeight,
        g.kernelWidth,
        g.strideHeight,
        sums,
        (oc - start) * taps,
      );
    }
  }
  for (let i = 0; i < (end - start) * taps; i++) args.w[start * taps + i] = sums[i];
}
