import type { Workspace } from './gemm.js';
import type { KernelLibrary } from './kernel-library.js';
import type { ConvTaskArgs } from './task-types.js';

/** Forward of a grouped conv as GEMMs: item = (image, group, column tile), out_g = W_g @ im2col(x_g) (x_g itself for 1x1). */
export function gemmConvForward(
  lib: KernelLibrary,
  workspace: Workspace,
  args: ConvTaskArgs,
  start: number,
  end: number,
): void {
  const g = args.geometry;
  const inPerGroup = g.inChannels / g.groups;
  const outPerGroup = g.outChannels / g.groups;
  const depth = inPerGroup * g.kernelHeight * g.kernelWidth;
  const inPlane = g.inHeight * g.inWidth;
  const outPlane = g.outHeight * g.outWidth;
  // 1x1, stride 1, no padding: the input planes already are the column matrix.
  const pointwise =
    depth === inPerGroup &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.paddingHeight === 0 &&
    g.paddingWidth === 0;
  const col = pointwise ? args.x : lib.scratchArray(workspace, 'col', depth * outPlane, args.x instanceof Float64Array);
  const tiles = Math.ceil(outPlane / args.columnsPerItem);
  for (let item = start; item < end; item++) {
    const plane = Math.floor(item / tiles);
    const firstColumn = (item - plane * tiles) * args.columnsPerItem;
    const columns = Math.min(args.columnsPerItem, outPlane - firstColumn);
    const n = Math.floor(plane / g.groups);
    const group = plane - n * g.groups;
    const inOffset = (n * g.inChannels + group * inPerGroup) * inPlane;
    if (!pointwise) {
      lib.im2col(
        args.x,
        inOffset,
        inPerGroup,
        g.inHeight,
        g.inWidth,
        g.kernelHeight,
        g.kernelWidth,
        g.strideHeight,
        g.strideWidth,
        g.paddingHeight,
        g.paddingWidth,
        g.outHeight,
        g.outWidth,
        col,
      );
    }
    lib.gemm(
      lib,
      workspace,
      outPerGroup,
      columns,
      depth,
      args.w,
      group * outPerGroup * depth,
      depth,
      1,
      col,
      (pointwise ? inOffset : 0) + firstColumn,
      outPlane,
      1,
      args.y,
      (n * g.outChannels + group * outPerGroup) * outPlane + firstColumn,
      outPlane,
      false,
    );
  }
}

/** Input gradient of a grouped conv as GEMMs: item = (image, group, column tile), dx_g = col2im(W_g^T @ dy_g). */
export function gemmConvBackwardInput(
  lib: KernelLibrary,
  workspace: Workspace,
  args: ConvTaskArgs,
  start: number,
  end: number,
): void {
  const g = args.geometry;
  const inPerGroup = g.inChannels / g.groups;
  const outPerGroup = g.outChannels / g.groups;
  const depth = inPerGroup * g.kernelHeight * g.kernelWidth;
  const inPlane = g.inHeight * g.inWidth;
  const outPlane = g.outHeight * g.outWidth;
  const pointwise =
    depth === inPerGroup &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.paddingHeight === 0 &&
    g.paddingWidth === 0;
  const col = pointwise ? args.x : lib.scratchArray(workspace, 'col', depth * outPlane, args.x instanceof Float64Array);
  const tiles = Math.ceil(outPlane / args.columnsPerItem);
  for (let item = start; item < end; item++) {
    const plane = Math.floor(item / tiles);
    const firstColumn = (item - plane * tiles) * args.columnsPerItem;
    const columns = Math.min(args.columnsPerItem, outPlane - firstColumn);
    const n = Math.floor(plane / g.groups);
    const group = plane - n * g.groups;
    const inOffset = (n * g.inChannels + group * inPerGroup) * inPlane;
    // W_g is [outPerGroup, depth] row-major; its transpose has row stride 1 and column stride depth.
    lib.gemm(
      lib,
      workspace,
      depth,
      columns,
      outPerGroup,
      args.w,
      group * outPerGroup * depth,
      1,
      depth,
      args.y,
      (n * g.outChannels + group * outPerGroup) * outPlane + firstColumn,
      outPlane,
      1,
      col,
      (pointwise ? inOffset : 0) + firstColumn,
      outPlane,
      false,
    );
    if (!pointwise) {
      args.x.fill(0, inOffset, inOffset + inPerGroup * inPlane);
      lib.col2im(
        col,
        inPerGroup,
        g.inHeight,
        g.inWidth,
        g.kernelHeight,
        g.kernelWidth,
        g.strideHeight,
        g.strideWidth,
        g.paddingHeight,
        g.paddingWidth,
        g.outHeight,
        g.outWidth,
        args.x,
        inOffset,
      );
    }
  }
}

/**
 * Weight gradient of a grouped conv as GEMMs: item = (group, block of rowsPerItem output channels),
 * dW_g[rows] = sum over images, in order, of dy_g[rows] @ im2col(x_g)^T.
 */
export function gemmConvBackwardWeight(
  lib: KernelLibrary,
  workspace: Workspace,
  args: ConvTaskArgs,
  start: number,
  end: number,
): void {
  const g = args.geometry;
  const inPerGroup = g.inChannels / g.groups;
  const outPerGroup = g.outChannels / g.groups;
  const depth = inPerGroup * g.kernelHeight * g.kernelWidth;
  const inPlane = g.inHeight * g.inWidth;
  const outPlane = g.outHeight * g.outWidth;
  const pointwise =
    depth === inPerGroup &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.paddingHeight === 0 &&
    g.paddingWidth === 0;
  const col = pointwise ? args.x : lib.scratchArray(workspace, 'col', depth * outPlane, args.x instanceof Float64Array);
  const blocksPerGroup = Math.ceil(outPerGroup / args.rowsPerItem);
  for (let item = start; item < end; item++) {
    const group = Math.floor(item / blocksPerGroup);
    const firstRow = (item - group * blocksPerGroup) * args.rowsPerItem;
    const rows = Math.min(args.rowsPerItem, outPerGroup - firstRow);
    const outChannel = group * outPerGroup + firstRow;
    for (let n = 0; n < g.batch; n++) {
      const inOffset = (n * g.inChannels + group * inPerGroup) * inPlane;
      if (!pointwise) {
        lib.im2col(
          args.x,
          inOffset,
          inPerGroup,
          g.inHeight,
          g.inWidth,
          g.kernelHeight,
          g.kernelWidth,
          g.strideHeight,
          g.strideWidth,
          g.paddingHeight,
          g.paddingWidth,
          g.outHeight,
          g.outWidth,
          col,
        );
      }
      // The column matrix transposed: element (p = output position, j = column row) at j*outPlane + p.
      lib.gemm(
        lib,
        workspace,
        rows,
        depth,
        outPlane,
        args.y,
        (n * g.outChannels + outChannel) * outPlane,
        outPlane,
        1,
        col,
        pointwise ? inOffset : 0,
        1,
        outPlane,
        args.w,
        outChannel * depth,
        depth,
        n > 0,
      );
    }
  }
}
