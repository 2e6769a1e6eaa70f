import type { Storage } from '../../tensor/dtype.js';
import { kernelTimerStart, kernelTimerStop } from '../../tensor/profiler.js';
import type { Conv2dGeometry } from '../kernels.js';
import { conv2dBackwardInputGemm, conv2dBackwardWeightGemm, conv2dForwardGemm } from './conv2d-gemm.js';
import type { Conv2dBackwardInputArgs, Conv2dBackwardWeightArgs, Conv2dForwardArgs } from './conv2d-pass-args.js';
import {
  conv2dBackwardInputPlanewise,
  conv2dBackwardWeightPlanewise,
  conv2dForwardPlanewise,
} from './conv2d-planewise.js';
import { getCpuThreads, runParallel } from './threads/pool.js';

/**
 * Fast CPU convolution kernels. Convs whose groups each see one input channel (depthwise, and the
 * one-channel stem) with equal strides run as direct plane loops (conv2d-planewise.ts); all others
 * run as one GEMM per image and group, on the input itself for 1x1 convs and on im2col otherwise.
 */

/** Which kernel family serves a geometry, and its profiler label. */
function plan(g: Conv2dGeometry, pass: string): { planewise: boolean; pointwise: boolean; label: string } {
  const planewise = g.inChannels === g.groups && g.strideHeight === g.strideWidth;
  const kernel = `${g.kernelHeight}x${g.kernelWidth}`;
  const stride = g.strideHeight === g.strideWidth ? `s${g.strideHeight}` : `s${g.strideHeight}x${g.strideWidth}`;
  const pointwise =
    !planewise &&
    g.kernelHeight * g.kernelWidth === 1 &&
    g.strideHeight * g.strideWidth === 1 &&
    g.paddingHeight + g.paddingWidth === 0;
  let family = pointwise ? 'pointwise gemm' : 'im2col gemm';
  if (planewise) family = g.outChannels === g.groups ? 'depthwise' : 'planewise';
  return { planewise, pointwise, label: `conv2d.${pass} ${family} ${kernel} ${stride}` };
}

/**
 * Output-channel rows per work item of the GEMM weight gradient: split a group only when groups are
 * few, and then into one block per thread. Every item packs the whole input (the GEMM's B) again,
 * so fewer, taller items pay that packing less often: 16-row items spent about as long packing as
 * multiplying once the multiply ran on SIMD.
 */
function weightRowsPerItem(g: Conv2dGeometry): number {
  const outPerGroup = g.outChannels / g.groups;
  if (g.groups >= 8) return outPerGroup;
  return Math.max(16, Math.ceil(outPerGroup / getCpuThreads() / 4) * 4);
}

/**
 * Output positions per work item of the GEMM forward and input gradient. Items are (image, group)
 * pairs; when those are too few to keep every thread busy (small batches), 1x1 convs also split
 * the output plane into column tiles, which GEMM computes independently.
 */
function columnsPerItem(g: Conv2dGeometry, pointwise: boolean): number {
  const outPlane = g.outHeight * g.outWidth;
  const planes = g.batch * g.groups;
  const wanted = 4 * getCpuThreads();
  if (!pointwise || planes >= wanted || outPlane === 0) return Math.max(outPlane, 1);
  const tiles = Math.min(Math.ceil(wanted / planes), Math.ceil(outPlane / 64));
  return Math.ceil(outPlane / tiles);
}

function macs(g: Conv2dGeometry): number {
  return (
    g.batch * g.outChannels * g.outHeight * g.outWidth * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth
  );
}

/** Convolution forward: out = input (*) weight. */
export function conv2dForwardCpu(input: Storage, weight: Storage, out: Storage, g: Conv2dGeometry): void {
  const started = kernelTimerStart();
  const { planewise, pointwise, label } = plan(g, 'forward');
  const columns = columnsPerItem(g, pointwise);
  const args: Conv2dForwardArgs = { input, weight, output: out, geometry: g, columnsPerItem: columns };
  const tiles = Math.ceil((g.outHeight * g.outWidth) / columns);
  const items = planewise ? g.batch * g.outChannels : g.batch * g.groups * tiles;
  const task = planewise ? conv2dForwardPlanewise : conv2dForwardGemm;
  if (items > 0) runParallel(task, args, ['output'], items, macs(g) / items);
  kernelTimerStop(label, started);
}

/** Gradient with respect to the input. */
export function conv2dBackwardInputCpu(
  gradOutput: Storage,
  weight: Storage,
  gradInput: Storage,
  g: Conv2dGeometry,
): void {
  const started = kernelTimerStart();
  const { planewise, pointwise, label } = plan(g, 'backwardInput');
  const columns = columnsPerItem(g, pointwise);
  const args: Conv2dBackwardInputArgs = {
    outputGrad: gradOutput,
    weight,
    inputGrad: gradInput,
    geometry: g,
    columnsPerItem: columns,
  };
  const tiles = Math.ceil((g.outHeight * g.outWidth) / columns);
  const items = planewise ? g.batch * g.inChannels : g.batch * g.groups * tiles;
  const task = planewise ? conv2dBackwardInputPlanewise : conv2dBackwardInputGemm;
  if (items > 0) runParallel(task, args, ['inputGrad'], items, macs(g) / items);
  kernelTimerStop(label, started);
}

/** Gradient with respect to the weight, summed over the batch. */
export function conv2dBackwardWeightCpu(
  input: Storage,
  gradOutput: Storage,
  gradWeight: Storage,
  g: Conv2dGeometry,
): void {
  const started = kernelTimerStart();
  const { planewise, label } = plan(g, 'backwardWeight');
  const rowsPerItem = weightRowsPerItem(g);
  const args: Conv2dBackwardWeightArgs = {
    input,
    outputGrad: gradOutput,
    weightGrad: gradWeight,
    geometry: g,
    rowsPerItem,
  };
  const items = planewise ? g.outChannels : g.groups * Math.ceil(g.outChannels / g.groups / rowsPerItem);
  const task = planewise ? conv2dBackwardWeightPlanewise : conv2dBackwardWeightGemm;
  if (g.batch === 0) gradWeight.fill(0, 0, g.outChannels * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth);
  else if (items > 0) runParallel(task, args, ['weightGrad'], items, macs(g) / items);
  kernelTimerStop(label, started);
}
