import type { DType, Storage } from './dtype.js';
import { formatShape, sizeOf, stridesOf } from './shape.js';

/**
 * Printing a tensor's values the way PyTorch 1.13's `torch/_tensor_str.py` does: one number format for the
 * whole tensor (integral `1.`, fixed `1.2346`, or scientific `1.2346e+05`; int32 as plain `1`), right-aligned columns,
 * and, past 1,000 elements, only the first and last three entries of each dimension around `...`.
 */

/** Above this many elements the values are summarised (PyTorch's `threshold`). */
const summaryThreshold = 1000;
/** Entries kept at each end of a summarised dimension (PyTorch's `edgeitems`). */
const edgeItems = 3;
/** Rows of the last dimension wrap at this width (PyTorch's `linewidth`). */
const lineWidth = 80;
/** Digits after the point (PyTorch's `precision`). */
const precision = 4;

/** What the printed values need besides the storage. */
export interface TensorPrintout {
  readonly data: Storage;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly requiresGrad: boolean;
  /** Name of the op that made the tensor, or null for a leaf. */
  readonly op: string | null;
}

/** Indices printed along one dimension; -1 stands for the `...` gap. */
function shownIndices(size: number, summarise: boolean): number[] {
  if (!summarise || size <= 2 * edgeItems) return Array.from({ length: size }, (_, i) => i);
  const tail = Array.from({ length: edgeItems }, (_, i) => size - edgeItems + i);
  return [...Array.from({ length: edgeItems }, (_, i) => i), -1, ...tail];
}

/** The values that will be printed, so the number format fits exactly those. */
function shownValues(data: Storage, shape: readonly number[], summarise: boolean): number[] {
  const strides = stridesOf(shape);
  const out: number[] = [];
  const walk = (dim: number, offset: number): void => {
    if (dim === shape.length) {
      out.push(data[offset]);
      return;
    }
    for (const i of shownIndices(shape[dim], summarise)) if (i >= 0) walk(dim + 1, offset + i * strides[dim]);
  };
  walk(0, 0);
  return out;
}

/** Python's `{:.4e}`: JavaScript writes `1.0000e+5` where Python writes `1.0000e+05`. */
function scientific(value: number): string {
  return value.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** A number formatter and its column width, chosen from the shown values as PyTorch's `_Formatter`. */
function numberFormat(values: readonly number[]): { format: (value: number) => string; width: number } {
  // Like PyTorch, only nonzero finite values choose the format and width (all zeros print as `0.`).
  const nonzero = values.filter((v) => Number.isFinite(v) && v !== 0);
  const magnitudes = nonzero.map(Math.abs);
  const max = Math.max(0, ...magnitudes);
  const min = Math.min(Number.POSITIVE_INFINITY, ...magnitudes);
  const integral = nonzero.every(Number.isInteger);
  const useScientific = nonzero.length > 0 && (max / min > 1000 || max > 1e8 || (!integral && min < 1e-4));
  const text = (v: number): string => {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (useScientific) return scientific(v);
    return integral ? `${v.toFixed(0)}.` : v.toFixed(precision);
  };
  const width = Math.max(1, ...nonzero.map((v) => text(v).length));
  return { format: (v) => text(v).padStart(width), width };
}

/** PyTorch's integer format: plain digits, right-aligned to the widest shown value. */
function integerFormat(values: readonly number[]): { format: (value: number) => string; width: number } {
  const width = Math.max(1, ...values.map((v) => String(v).length));
  return { format: (v) => String(v).padStart(width), width };
}

/** The format for `data`'s shown values: integers for int32 storage, PyTorch's float rules otherwise. */
function formatFor(data: Storage, values: readonly number[]): { format: (value: number) => string; width: number } {
  return data instanceof Int32Array ? integerFormat(values) : numberFormat(values);
}

/** The nested-bracket body, e.g. `[[1., 2.],\n        [3., 4.]]`, indented to sit after `tensor(`. */
function formatBody(data: Storage, shape: readonly number[], indent: number): string {
  const summarise = data.length > summaryThreshold;
  const { format, width } = formatFor(data, shownValues(data, shape, summarise));
  const strides = stridesOf(shape);
  const walk = (dim: number, offset: number, depthIndent: number): string => {
    const indices = shownIndices(shape[dim], summarise);
    if (dim === shape.length - 1) {
      const cells = indices.map((i) => (i < 0 ? ' ...' : format(data[offset + i])));
      const perLine = Math.max(1, Math.floor((lineWidth - depthIndent) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < cells.length; i += perLine) lines.push(cells.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(depthIndent + 1)}`)}]`;
    }
    const separator = `,${'\n'.repeat(shape.length - dim - 1)}${' '.repeat(depthIndent + 1)}`;
    const rows = indices.map((i) => (i < 0 ? '...' : walk(dim + 1, offset + i * strides[dim], depthIndent + 1)));
    return `[${rows.join(separator)}]`;
  };
  return walk(0, 0, indent);
}

/**
 * `tensor([[1., 2.], [3., 4.]], shape=[2, 2], dtype=float32, requiresGrad=true)`: PyTorch's
 * layout, plus the shape and dtype always (a learner reads them more often than the values).
 */
export function formatTensor(t: TensorPrintout): string {
  const prefix = 'tensor(';
  let body: string;
  if (t.shape.length === 0) body = formatFor(t.data, [t.data[0]]).format(t.data[0]);
  else if (sizeOf(t.shape) === 0) body = '[]';
  else body = formatBody(t.data, t.shape, prefix.length);
  const grad = t.requiresGrad ? ', requiresGrad=true' : '';
  const op = t.op === null ? '' : `, gradFn=${t.op}`;
  return `${prefix}${body}, shape=${formatShape(t.shape)}, dtype=${t.dtype}${grad}${op})`;
}
