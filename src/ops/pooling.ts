import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { pairOf, type Size2d } from './conv2d.js';

/** Options of {@link maxPool2d} and {@link avgPool2d}; defaults are PyTorch's. */
export interface Pool2dOptions {
  /** Window size, one number or [height, width]. */
  kernelSize: Size2d;
  /** Step between windows (default: the kernel size, so windows do not overlap). */
  stride?: Size2d;
  /** Implicit padding on each side, at most half the kernel (default 0). */
  padding?: Size2d;
}

/** Options of {@link avgPool2d}. */
export interface AvgPool2dOptions extends Pool2dOptions {
  /** Whether padded zeros count in the divisor (default true, as in PyTorch). */
  countIncludePad?: boolean;
}

/** Validated sizes of a 2-D pooling; output size floor((in + 2 padding - kernel) / stride) + 1 (torch.nn.MaxPool2d docs). */
interface PoolGeometry {
  planes: number;
  inHeight: number;
  inWidth: number;
  outHeight: number;
  outWidth: number;
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
}

function poolGeometry(op: string, x: Tensor, options: Pool2dOptions): PoolGeometry {
  if (!(x instanceof Tensor) || x.ndim !== 4) {
    const got = x instanceof Tensor ? `shape ${formatShape(x.shape)}` : String(x);
    throw new Error(`${op}: input must be a 4-D tensor [batch, channels, height, width], got ${got}`);
  }
  const kernel = pairOf('kernelSize', options?.kernelSize, 1, op);
  const stride = pairOf('stride', options.stride ?? kernel, 1, op);
  const padding = pairOf('padding', options.padding ?? 0, 0, op);
  for (const axis of [0, 1]) {
    // PyTorch's limit: a window must always cover at least one real pixel.
    if (2 * padding[axis] > kernel[axis]) {
      throw new Error(`${op}: padding ${padding.join('x')} must be at most half the kernel ${kernel.join('x')}`);
    }
  }
  const [batch, channels, inHeight, inWidth] = x.shape;
  const outHeight = Math.floor((inHeight + 2 * padding[0] - kernel[0]) / stride[0]) + 1;
  const outWidth = Math.floor((inWidth + 2 * padding[1] - kernel[1]) / stride[1]) + 1;
  if (outHeight < 1 || outWidth < 1) {
    throw new Error(
      `${op}: kernel ${kernel.join('x')} is larger than the padded input ` +
        `${inHeight + 2 * padding[0]}x${inWidth + 2 * padding[1]} (input ${inHeight}x${inWidth})`,
    );
  }
  return { planes: batch * channels, inHeight, inWidth, outHeight, outWidth, kernel, stride, padding };
}

/**
 * Max over each window of an [N, C, H, W] input, as torch.nn.functional.max_pool2d (no dilation,
 * no ceil mode). Padding acts as -Infinity. The gradient goes to the first maximum of each window
 * in row-major order (PyTorch's choice on ties); NaN counts as the maximum, so it propagates.
 */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  const { planes, inHeight, inWidth, outHeight, outWidth, kernel, stride, padding } = poolGeometry(
    'maxPool2d',
    x,
    options,
  );
  const input = x.data;
  const out = allocate(x.dtype, planes * outHeight * outWidth);
  // Flat input index of each output's maximum, read by the backward.
  const argmax = new Int32Array(out.length);
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * inHeight * inWidth;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * stride[0] - padding[0];
      const yStart = Math.max(y0, 0);
      const yEnd = Math.min(y0 + kernel[0], inHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * stride[1] - padding[1];
        const xStart = Math.max(x0, 0);
        const xEnd = Math.min(x0 + kernel[1], inWidth);
        let best = Number.NEGATIVE_INFINITY;
        let bestIndex = base + yStart * inWidth + xStart;
        for (let iy = yStart; iy < yEnd; iy++) {
          for (let ix = xStart; ix < xEnd; ix++) {
            const index = base + iy * inWidth + ix;
            const v = input[index];
            if (v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
              best = v;
              bestIndex = index;
            }
          }
        }
        out[o] = best;
        argmax[o++] = bestIndex;
      }
    }
  }
  const result = new Tensor(out, [x.shape[0], x.shape[1], outHeight, outWidth]);
  return record('maxPool2d', [x], result, (g) => {
    const gradInput = allocate(g.dtype, input.length);
    const gd = g.data;
    for (let i = 0; i < gd.length; i++) gradInput[argmax[i]] += gd[i];
    return [new Tensor(gradInput, x.shape)];
  });
}

/**
 * Mean over each window of an [N, C, H, W] input, as torch.nn.functional.avg_pool2d (no ceil
 * mode). Padded positions are zeros; countIncludePad decides whether they count in the divisor.
 * The backward spreads each output's gradient evenly over its window.
 */
export function avgPool2d(x: Tensor, options: AvgPool2dOptions): Tensor {
  const { planes, inHeight, inWidth, outHeight, outWidth, kernel, stride, padding } = poolGeometry(
    'avgPool2d',
    x,
    options,
  );
  const countIncludePad = options.countIncludePad ?? true;
  const outShape = [x.shape[0], x.shape[1], outHeight, outWidth];
  /** Calls visit(inputIndex, outputIndex, 1 / divisor) for every input pixel of every window. */
  const forEachTap = (visit: (inputIndex: number, outputIndex: number, weight: number) => void) => {
    let o = 0;
    for (let plane = 0; plane < planes; plane++) {
      const base = plane * inHeight * inWidth;
      for (let oy = 0; oy < outHeight; oy++) {
        const y0 = oy * stride[0] - padding[0];
        const yStart = Math.max(y0, 0);
        const yEnd = Math.min(y0 + kernel[0], inHeight);
        // With padding counted, the window is clipped only by the padded border (PyTorch's rule).
        const paddedRows = Math.min(y0 + kernel[0], inHeight + padding[0]) - y0;
        for (let ox = 0; ox < outWidth; ox++, o++) {
          const x0 = ox * stride[1] - padding[1];
          const xStart = Math.max(x0, 0);
          const xEnd = Math.min(x0 + kernel[1], inWidth);
          const paddedColumns = Math.min(x0 + kernel[1], inWidth + padding[1]) - x0;
          const divisor = countIncludePad ? paddedRows * paddedColumns : (yEnd - yStart) * (xEnd - xStart);
          const weight = 1 / divisor;
          for (let iy = yStart; iy < yEnd; iy++) {
            for (let ix = xStart; ix < xEnd; ix++) visit(base + iy * inWidth + ix, o, weight);
          }
        }
      }
    }
  };
  const input = x.data;
  const out = allocate(x.dtype, planes * outHeight * outWidth);
  forEachTap((i, o, weight) => {
    out[o] += input[i] * weight;
  });
  return record('avgPool2d', [x], new Tensor(out, outShape), (g) => {
    const gradInput = allocate(g.dtype, input.length);
    const gd = g.data;
    forEachTap((i, o, weight) => {
      gradInput[i] += gd[o] * weight;
    });
    return [new Tensor(gradInput, x.shape)];
  });
}
