import type { Conv2dGeometry } from '../kernels.js';
import type { Conv2dBackwardInputArgs, Conv2dBackwardWeightArgs, Conv2dForwardArgs } from './conv2d-pass-args.js';
import { gemm } from './gemm.js';
import { col2im, im2col } from './im2col.js';
import type { ParallelTask } from './threads/pool.js';
import { scratchArray } from './workspace.js';

/**
 * The convolution passes as GEMMs, one per image and group: on the input planes themselves for
 * 1x1 stride-1 unpadded convs (they already are the column matrix), on im2col otherwise.
 */

/** Sizes shared by the three passes. */
function groupSizes(g: Conv2dGeometry) {
  const inPerGroup = g.inChannels / g.groups;
  const outPerGroup = g.outChannels / g.groups;
  const depth = inPerGroup * g.kernelHeight * g.kernelWidth;
  // 1x1, stride 1, no padding: the input planes already are the column matrix.
  const pointwise =
    depth === inPerGroup &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.paddingHeight === 0 &&
    g.paddingWidth === 0;
  return {
    inPerGroup,
    outPerGroup,
    depth,
    pointwise,
    inPlane: g.inHeight * g.inWidth,
    outPlane: g.outHeight * g.outWidth,
  };
}

/** Forward: item = (image, group, column tile), output_g = weight_g @ im2col(input_g). */
export const conv2dForwardGemm: ParallelTask<Conv2dForwardArgs, 'conv2dForwardGemm'> = {
  id: 'conv2dForwardGemm',
  run(workspace, { input, weight, output, geometry: g, columnsPerItem }, start, end) {
    const { inPerGroup, outPerGroup, depth, pointwise, inPlane, outPlane } = groupSizes(g);
    const col = pointwise ? input : scratchArray(workspace, 'col', depth * outPlane, input instanceof Float64Array);
    const tiles = Math.ceil(outPlane / columnsPerItem);
    for (let item = start; item < end; item++) {
      const plane = Math.floor(item / tiles);
      const firstColumn = (item - plane * tiles) * columnsPerItem;
      const n = Math.floor(plane / g.groups);
      const group = plane - n * g.groups;
      const inOffset = (n * g.inChannels + group * inPerGroup) * inPlane;
      if (!pointwise) im2col(g, input, inOffset, col);
      gemm(workspace, {
        rows: outPerGroup,
        cols: Math.min(columnsPerItem, outPlane - firstColumn),
        depth,
        left: { data: weight, offset: group * outPerGroup * depth, rowStride: depth, colStride: 1 },
        right: { data: col, offset: (pointwise ? inOffset : 0) + firstColumn, rowStride: outPlane, colStride: 1 },
        product: {
          data: output,
          offset: (n * g.outChannels + group * outPerGroup) * outPlane + firstColumn,
          rowStride: outPlane,
          colStride: 1,
        },
        accumulate: false,
      });
    }
  },
};

/** Input gradient: item = (image, group, column tile), inputGrad_g = col2im(weight_g^T @ outputGrad_g). */
export const conv2dBackwardInputGemm: ParallelTask<Conv2dBackwardInputArgs, 'conv2dBackwardInputGemm'> = {
  id: 'conv2dBackwardInputGemm',
  run(workspace, { outputGrad, weight, inputGrad, geometry: g, columnsPerItem }, start, end) {
    const { inPerGroup, outPerGroup, depth, pointwise, inPlane, outPlane } = groupSizes(g);
    const col = pointwise
      ? inputGrad
      : scratchArray(workspace, 'col', depth * outPlane, inputGrad instanceof Float64Array);
    const tiles = Math.ceil(outPlane / columnsPerItem);
    for (let item = start; item < end; item++) {
      const plane = Math.floor(item / tiles);
      const firstColumn = (item - plane * tiles) * columnsPerItem;
      const n = Math.floor(plane / g.groups);
      const group = plane - n * g.groups;
      const inOffset = (n * g.inChannels + group * inPerGroup) * inPlane;
      // weight_g is [outPerGroup, depth] row-major; its transpose has row stride 1 and column stride depth.
      gemm(workspace, {
        rows: depth,
        cols: Math.min(columnsPerItem, outPlane - firstColumn),
        depth: outPerGroup,
        left: { data: weight, offset: group * outPerGroup * depth, rowStride: 1, colStride: depth },
        right: {
          data: outputGrad,
          offset: (n * g.outChannels + group * outPerGroup) * outPlane + firstColumn,
          rowStride: outPlane,
          colStride: 1,
        },
        product: { data: col, offset: (pointwise ? inOffset : 0) + firstColumn, rowStride: outPlane, colStride: 1 },
        accumulate: false,
      });
      if (!pointwise) {
        inputGrad.fill(0, inOffset, inOffset + inPerGroup * inPlane);
        col2im(g, col, inputGrad, inOffset);
      }
    }
  },
};

/**
 * Weight gradient: item = (group, block of rowsPerItem output channels),
 * weightGrad_g[rows] = sum over images, in order, of outputGrad_g[rows] @ im2col(input_g)^T.
 */
export const conv2dBackwardWeightGemm: ParallelTask<Conv2dBackwardWeightArgs, 'conv2dBackwardWeightGemm'> = {
  id: 'conv2dBackwardWeightGemm',
  run(workspace, { input, outputGrad, weightGrad, geometry: g, rowsPerItem }, start, end) {
    const { inPerGroup, outPerGroup, depth, pointwise, inPlane, outPlane } = groupSizes(g);
    const col = pointwise ? input : scratchArray(workspace, 'col', depth * outPlane, input instanceof Float64Array);
    const blocksPerGroup = Math.ceil(outPerGroup / rowsPerItem);
    for (let item = start; item < end; item++) {
      const group = Math.floor(item / blocksPerGroup);
      const firstRow = (item - group * blocksPerGroup) * rowsPerItem;
      const outChannel = group * outPerGroup + firstRow;
      for (let n = 0; n < g.batch; n++) {
        const inOffset = (n * g.inChannels + group * inPerGroup) * inPlane;
        if (!pointwise) im2col(g, input, inOffset, col);
        // The column matrix transposed: element (p = output position, j = column row) at j*outPlane + p.
        gemm(workspace, {
          rows: Math.min(rowsPerItem, outPerGroup - firstRow),
          cols: depth,
          depth: outPlane,
          left: {
            data: outputGrad,
            offset: (n * g.outChannels + outChannel) * outPlane,
            rowStride: outPlane,
            colStride: 1,
          },
          right: { data: col, offset: pointwise ? inOffset : 0, rowStride: 1, colStride: outPlane },
          product: { data: weightGrad, offset: outChannel * depth, rowStride: depth, colStride: 1 },
          accumulate: n > 0,
        });
      }
    }
  },
};
