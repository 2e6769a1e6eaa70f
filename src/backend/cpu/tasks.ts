import type { Storage } from '../../tensor/dtype.js';
import type { Conv2dGeometry, MatmulProblem } from '../kernels.js';
import type { Workspace } from './gemm.js';
import type { KernelLibrary } from './kernel-library.js';

/**
 * Parallel tasks: each computes work items [start, end) of one kernel call, writing outputs that no
 * other item writes, so any split of the items over threads gives the same bits. Tasks call
 * kernels only through `lib` (see kernel-library.ts) and run on the main thread and in workers.
 */

/** A task body: items [start, end) of one kernel call. */
export type TaskFunction<Args> = (
  lib: KernelLibrary,
  workspace: Workspace,
  args: Args,
  start: number,
  end: number,
) => void;

/** A matmul split into tiles of tileRows x tileCols per batch entry (item = (batch, tile row, tile col)). */
export interface MatmulTaskArgs extends MatmulProblem {
  tileRows: number;
  tileCols: number;
}

/** Convolution operands: `x` is the input (or its gradient), `w` the weight (or its gradient), `y` the output (or its gradient). */
export interface ConvTaskArgs {
  x: Storage;
  w: Storage;
  y: Storage;
  geometry: Conv2dGeometry;
  /** Output-channel rows per item of the GEMM weight-gradient task. */
  rowsPerItem: number;
  /** Output positions per item of the GEMM forward and input-gradient tasks (below the plane size only for 1x1 convs). */
  columnsPerItem: number;
}

/** One tile of a batched matmul per item. */
export function matmulTiles(
  lib: KernelLibrary,
  workspace: Workspace,
  args: MatmulTaskArgs,
  start: number,
  end: number,
): void {
  const { m, k, n, tileRows, tileCols } = args;
  const tilesM = Math.ceil(m / tileRows);
  const tilesN = Math.ceil(n / tileCols);
  const aRow = args.transposeA ? 1 : k;
  const aCol = args.transposeA ? m : 1;
  const bRow = args.transposeB ? 1 : n;
  const bCol = args.transposeB ? k : 1;
  for (let item = start; item < end; item++) {
    const batchIndex = Math.floor(item / (tilesM * tilesN));
    const tile = item - batchIndex * tilesM * tilesN;
    const i0 = Math.floor(tile / tilesN) * tileRows;
    const j0 = (tile % tilesN) * tileCols;
    lib.gemm(
      workspace,
      Math.min(tileRows, m - i0),
      Math.min(tileCols, n - j0),
      k,
      args.a,
      batchIndex * args.aBatchStride + i0 * aRow,
      aRow,
      aCol,
      args.b,
      batchIndex * args.bBatchStride + j0 * bCol,
      bRow,
      bCol,
      args.out,
      batchIndex * m * n + i0 * n + j0,
      n,
      false,
    );
  }
}

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

/** Input gradient of a grouped conv as GEMMs: item = (image, group), dx_g = col2im(W_g^T @ dy_g). */
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
