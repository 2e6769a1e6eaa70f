import type { Storage } from '../../tensor/dtype.js';
import { kernelTimerStart, kernelTimerStop } from '../../tensor/profiler.js';
import type { Conv2dGeometry } from '../kernels.js';
import type { ConvTaskArgs } from './tasks.js';
import { runTask } from './thread-pool.js';

/**
 * Fast CPU convolution kernels. Convs whose groups each see one input channel (depthwise, and the
 * one-channel stem) with equal strides run as direct plane loops (conv-planewise.ts); all others
 * run as one GEMM per image and group, on the input itself for 1x1 convs and on im2col otherwise.
 */

/** Which kernel family serves a geometry, and its profiler label. */
function plan(g: Conv2dGeometry, pass: string): { planewise: boolean; label: string } {
  const planewise = g.inChannels === g.groups && g.strideHeight === g.strideWidth;
  const kernel = `${g.kernelHeight}x${g.kernelWidth}`;
  const stride = g.strideHeight === g.strideWidth ? `s${g.strideHeight}` : `s${g.strideHeight}x${g.strideWidth}`;
  let family: string;
  if (planewise) family = g.outChannels === g.groups ? 'depthwise' : 'planewise';
  else if (
    g.kernelHeight * g.kernelWidth === 1 &&
    g.strideHeight * g.strideWidth === 1 &&
    g.paddingHeight + g.paddingWidth === 0
  )
    family = 'pointwise gemm';
  else family = 'im2col gemm';
  return { planewise, label: `conv2d.${pass} ${family} ${kernel} ${stride}` };
}

/** Output-channel rows per work item of the GEMM weight gradient: split a group only when groups are few. */
function weightRowsPerItem(g: Conv2dGeometry): number {
  const outPerGroup = g.outChannels / g.groups;
  if (g.groups >= 8) return outPerGroup;
  return Math.max(16, Math.ceil(outPerGroup / 8 / 4) * 4);
}

function macs(g: Conv2dGeometry): number {
  return (
    g.batch * g.outChannels * g.outHeight * g.outWidth * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth
  );
}

/** Convolution forward: out = input (*) weight. */
export function conv2dForwardCpu(input: Storage, weight: Storage, out: Storage, g: Conv2dGeometry): void {
  const started = kernelTimerStart();
  const { planewise, label } = plan(g, 'forward');
  const args: ConvTaskArgs = { x: input, w: weight, y: out, geometry: g, rowsPerItem: 0 };
  const items = planewise ? g.batch * g.outChannels : g.batch * g.groups;
  if (items > 0) runTask(planewise ? 'planewiseForward' : 'gemmConvForward', args, ['y'], items, macs(g) / items);
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
  const { planewise, label } = plan(g, 'backwardInput');
  const args: ConvTaskArgs = { x: gradInput, w: weight, y: gradOutput, geometry: g, rowsPerItem: 0 };
  const items = planewise ? g.batch * g.inChannels : g.batch * g.groups;
  if (items > 0)
    runTask(planewise ? 'planewiseBackwardInput' : 'gemmConvBackwardInput', args, ['x'], items, macs(g) / items);
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
  const args: ConvTaskArgs = { x: input, w: gradWeight, y: gradOutput, geometry: g, rowsPerItem };
  const items = planewise ? g.outChannels : g.groups * Math.ceil(g.outChannels / g.groups / rowsPerItem);
  if (g.batch === 0) gradWeight.fill(0, 0, g.outChannels * (g.inChannels / g.groups) * g.kernelHeight * g.kernelWidth);
  else if (items > 0)
    runTask(planewise ? 'planewiseBackwardWeight' : 'gemmConvBackwardWeight', args, ['w'], items, macs(g) / items);
  kernelTimerStop(label, started);
}
