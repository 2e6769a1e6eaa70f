import type { Conv2dBackwardInputArgs, Conv2dBackwardWeightArgs, Conv2dForwardArgs } from './conv2d-pass-args.js';
import { padPlane, planeCorrelate, planeScatter, planeWeightSums, unpadPlane } from './plane-loops.js';
import type { ParallelTask } from './threads/pool.js';
import { scratchArray } from './workspace.js';

/**
 * The convolution passes for convs whose groups each see one input channel (depthwise, and the
 * one-channel stem), as direct plane loops (plane-loops.ts) over zero-bordered scratch planes.
 */

/** Forward of a one-input-channel-per-group conv (depthwise, stem): item = (image, output channel). */
export const conv2dForwardPlanewise: ParallelTask<Conv2dForwardArgs, 'conv2dForwardPlanewise'> = {
  id: 'conv2dForwardPlanewise',
  run(workspace, { input, weight, output, geometry: g }, start, end) {
    const paddedHeight = g.inHeight + 2 * g.paddingHeight;
    const paddedWidth = g.inWidth + 2 * g.paddingWidth;
    const padded = scratchArray(workspace, 'plane', paddedHeight * paddedWidth, input instanceof Float64Array);
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
        padPlane(
          input,
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
      planeCorrelate(
        padded,
        paddedWidth,
        weight,
        oc * taps,
        g.kernelHeight,
        g.kernelWidth,
        g.strideHeight,
        output,
        item * outPlane,
        g.outHeight,
        g.outWidth,
      );
    }
  },
};

/**
 * Input gradient of a planewise conv: item = (image, input channel), summing the group's output
 * channels. Depthwise stride 1 gathers (a correlation of the zero-bordered gradient with the
 * flipped kernel: one store per input); other strides scatter each gradient value over its taps.
 */
export const conv2dBackwardInputPlanewise: ParallelTask<Conv2dBackwardInputArgs, 'conv2dBackwardInputPlanewise'> = {
  id: 'conv2dBackwardInputPlanewise',
  run(workspace, { outputGrad, weight, inputGrad, geometry: g }, start, end) {
    const float64 = inputGrad instanceof Float64Array;
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
      const padded = scratchArray(workspace, 'planeGrad', paddedHeight * paddedWidth, float64);
      const flipped = scratchArray(workspace, 'flippedKernel', taps, float64);
      for (let item = start; item < end; item++) {
        const ic = item % g.inChannels;
        for (let t = 0; t < taps; t++) flipped[t] = weight[ic * taps + taps - 1 - t];
        padPlane(
          outputGrad,
          item * outPlane,
          g.outHeight,
          g.outWidth,
          padTop,
          padLeft,
          padded,
          paddedHeight,
          paddedWidth,
        );
        planeCorrelate(
          padded,
          paddedWidth,
          flipped,
          0,
          g.kernelHeight,
          g.kernelWidth,
          1,
          inputGrad,
          item * inPlane,
          g.inHeight,
          g.inWidth,
        );
      }
      return;
    }
    const paddedHeight = g.inHeight + 2 * g.paddingHeight;
    const paddedWidth = g.inWidth + 2 * g.paddingWidth;
    const padded = scratchArray(workspace, 'planeGrad', paddedHeight * paddedWidth, float64);
    for (let item = start; item < end; item++) {
      const n = Math.floor(item / g.inChannels);
      const ic = item - n * g.inChannels;
      padded.fill(0, 0, paddedHeight * paddedWidth);
      for (let oc = ic * outPerGroup; oc < (ic + 1) * outPerGroup; oc++) {
        planeScatter(
          outputGrad,
          (n * g.outChannels + oc) * outPlane,
          g.outHeight,
          g.outWidth,
          weight,
          oc * taps,
          g.kernelHeight,
          g.kernelWidth,
          g.strideHeight,
          padded,
          paddedWidth,
        );
      }
      unpadPlane(
        padded,
        paddedWidth,
        g.paddingHeight,
        g.paddingWidth,
        g.inHeight,
        g.inWidth,
        inputGrad,
        item * inPlane,
      );
    }
  },
};

/** Weight gradient of a planewise conv: item = output channel, summed over the batch in image order. */
export const conv2dBackwardWeightPlanewise: ParallelTask<Conv2dBackwardWeightArgs, 'conv2dBackwardWeightPlanewise'> = {
  id: 'conv2dBackwardWeightPlanewise',
  run(workspace, { input, outputGrad, weightGrad, geometry: g }, start, end) {
    const paddedHeight = g.inHeight + 2 * g.paddingHeight;
    const paddedWidth = g.inWidth + 2 * g.paddingWidth;
    const padded = scratchArray(workspace, 'plane', paddedHeight * paddedWidth, input instanceof Float64Array);
    const outPerGroup = g.outChannels / g.groups;
    const taps = g.kernelHeight * g.kernelWidth;
    const outPlane = g.outHeight * g.outWidth;
    const sums = scratchArray(workspace, 'tapSums', (end - start) * taps, true) as Float64Array;
    sums.fill(0, 0, (end - start) * taps);
    for (let n = 0; n < g.batch; n++) {
      let paddedIndex = -1;
      for (let oc = start; oc < end; oc++) {
        const plane = n * g.inChannels + Math.floor(oc / outPerGroup);
        if (plane !== paddedIndex) {
          const { inHeight, inWidth, paddingHeight, paddingWidth } = g;
          padPlane(
            input,
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
        planeWeightSums(
          padded,
          paddedWidth,
          outputGrad,
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
    for (let i = 0; i < (end - start) * taps; i++) weightGrad[start * taps + i] = sums[i];
  },
};
