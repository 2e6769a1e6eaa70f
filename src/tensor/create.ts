import { allocate, assertDType, assertFloat, type DType } from './dtype.js';
import { defaultGenerator, type Generator } from './random.js';
import { assertValidShape, formatShape, sizeOf } from './shape.js';
import { type NestedArray, Tensor } from './tensor.js';

/** Options shared by the creation functions. */
export interface CreateOptions {
  /** Element type, float32 when omitted; anything but 'float32', 'float64' or 'int32' is an error. */
  dtype?: DType;
  /** Whether backward should compute a gradient for the new tensor (default false). */
  requiresGrad?: boolean;
}

/** Options of `tensor()`. */
export interface TensorOptions extends CreateOptions {
  /** Shape for flat input; nested input carries its own shape. */
  shape?: readonly number[];
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreateOptions {
  /** Generator to draw from; the seeded default generator when omitted. */
  generator?: Generator;
}

/** The dtype asked for (float32 when omitted), checked so that an unknown name is an error. */
function requestedDType(op: string, options: CreateOptions): DType {
  const dtype = options.dtype ?? 'float32';
  assertDType(op, dtype);
  return dtype;
}

/**
 * Throws unless `value` fits int32 exactly. Why: Int32Array stores 1.5 as 1 and 2^31 as -2^31
 * without a word, and a label that silently changes is worse than an error.
 */
function assertInt32Value(op: string, what: string, value: number): void {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw new Error(`${op}: ${what} is ${value}, not an int32 (an integer in [-2^31, 2^31))`);
  }
}

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] as NestedArray;
    if (level === undefined) break;
  }
  return shape;
}

function flatten(values: NestedArray, shape: readonly number[], dim: number, out: number[]): void {
  if (dim === shape.length) {
    if (typeof values !== 'number') throw new Error(`tensor: ragged nested array (expected a number at depth ${dim})`);
    out.push(values);
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new Error(
      `tensor: ragged nested array: dimension ${dim} expected ${shape[dim]} entries, got ${Array.isArray(values) ? values.length : 'a number'}`,
    );
  }
  for (const v of values) flatten(v, shape, dim + 1, out);
}

/**
 * Creates a tensor from a number, nested arrays, or flat values with `options.shape` (like
 * torch.tensor, but float32 by default even for integers; pass dtype 'int32' for labels or indices).
 * @param values a number, nested arrays of numbers, or flat numbers (a typed array too)
 * @param options shape (for flat values), dtype and requiresGrad
 * @returns a new tensor owning a copy of the values
 * @example tensor([[1, 2], [3, 4]], { requiresGrad: true })
 * @example tensor([1, 2, 3, 4], { shape: [2, 2], dtype: 'float64' })
 * @example tensor([0, 2, 1], { dtype: 'int32' }) // class labels
 */
export function tensor(values: NestedArray | ArrayLike<number>, options: TensorOptions = {}): Tensor {
  const dtype = requestedDType('tensor', options);
  let flat: ArrayLike<number>;
  let shape: readonly number[];
  if (typeof values === 'number') {
    flat = [values];
    shape = options.shape ?? [];
  } else if (Array.isArray(values) && values.some((v) => Array.isArray(v))) {
    shape = inferShape(values as NestedArray);
    const out: number[] = [];
    flatten(values as NestedArray, shape, 0, out);
    flat = out;
    if (options.shape && sizeOf(options.shape) !== out.length) {
      throw new Error(`tensor: shape ${formatShape(options.shape)} does not hold ${out.length} values`);
    }
    shape = options.shape ?? shape;
  } else {
    flat = values as ArrayLike<number>;
    shape = options.shape ?? [flat.length];
  }
  assertValidShape('tensor', shape);
  if (sizeOf(shape) !== flat.length) {
    throw new Error(`tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${flat.length}`);
  }
  const data = allocate(dtype, flat.length, `tensor: shape ${formatShape(shape)}`);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number') throw new Error(`tensor: value at flat index ${i} is ${typeof v}, expected a number`);
    if (dtype === 'int32') assertInt32Value('tensor', `value at flat index ${i}`, v);
    data[i] = v;
  }
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

function filled(op: string, shape: readonly number[], value: number, options: CreateOptions): Tensor {
  assertValidShape(op, shape);
  const dtype = requestedDType(op, options);
  if (dtype === 'int32') assertInt32Value(op, 'the fill value', value);
  const data = allocate(dtype, sizeOf(shape), `${op}: shape ${formatShape(shape)}`);
  data.fill(value);
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

/**
 * A tensor of `shape` filled with `value` (like torch.full).
 * @param shape size of each dimension; `[]` for a scalar
 * @param value every element's value
 * @param options dtype (float32 by default) and requiresGrad
 * @returns the new tensor
 * @example full([2, 3], 0.5)
 */
export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  return filled('full', shape, value, options);
}

/**
 * A tensor of zeros (like torch.zeros).
 * @param shape size of each dimension
 * @param options dtype (float32 by default) and requiresGrad
 * @returns the new tensor
 * @example zeros([2, 2], { dtype: 'float64' })
 */
export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return filled('zeros', shape, 0, options);
}

/**
 * A tensor of ones (like torch.ones).
 * @param shape size of each dimension
 * @param options dtype (float32 by default) and requiresGrad
 * @returns the new tensor
 * @example ones([3])
 */
export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return filled('ones', shape, 1, options);
}

/**
 * Values start, start+step, ... below end (like torch.arange); one argument counts from 0.
 * @param start first value, or the end when `end` is omitted
 * @param end the bound, not included
 * @param step distance between values (non-zero)
 * @param options dtype and requiresGrad
 * @returns a 1-D tensor
 * @example arange(5) // [0, 1, 2, 3, 4]
 */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  const [from, to] = end === undefined ? [0, start] : [start, end];
  if (!Number.isFinite(from) || !Number.isFinite(to) || !Number.isFinite(step) || step === 0) {
    throw new Error(`arange: start, end and step must be finite and step non-zero, got (${from}, ${to}, ${step})`);
  }
  const count = Math.max(0, Math.ceil((to - from) / step));
  const dtype = requestedDType('arange', options);
  if (dtype === 'int32') {
    assertInt32Value('arange', 'start', from);
    assertInt32Value('arange', 'step', step);
    if (count > 0) assertInt32Value('arange', 'the last value', from + (count - 1) * step);
  }
  const data = allocate(dtype, count, `arange: shape [${count}]`);
  for (let i = 0; i < count; i++) data[i] = from + i * step;
  return new Tensor(data, [count], options.requiresGrad ?? false);
}

/**
 * An n x m identity matrix (m defaults to n), like torch.eye.
 * @example eye(3)
 */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  const out = zeros([n, m], options);
  for (let i = 0; i < Math.min(n, m); i++) out.data[i * m + i] = 1;
  return out;
}

function random(shape: readonly number[], options: RandomOptions, draw: (g: Generator) => number, op: string): Tensor {
  assertValidShape(op, shape);
  const generator = options.generator ?? defaultGenerator;
  const dtype = requestedDType(op, options);
  if (op !== 'randint') assertFloat(op, dtype);
  const data = allocate(dtype, sizeOf(shape), `${op}: shape ${formatShape(shape)}`);
  for (let i = 0; i < data.length; i++) data[i] = draw(generator);
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

/**
 * Uniform samples in [0, 1) from the seeded generator (like torch.rand).
 * @param shape size of each dimension
 * @param options dtype, requiresGrad and the generator (the seeded default when omitted)
 * @returns the new tensor
 * @example manualSeed(0); rand([2, 3])
 */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  return random(shape, options, (g) => g.uniform(), 'rand');
}

/**
 * Standard normal samples from the seeded generator (like torch.randn).
 * @param shape size of each dimension
 * @param options dtype, requiresGrad and the generator (the seeded default when omitted)
 * @returns the new tensor
 * @example const weight = randn([4, 3], { requiresGrad: true })
 */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  return random(shape, options, (g) => g.normal(), 'randn');
}

/**
 * Uniform integers in [low, high) from the seeded generator, float32 unless dtype 'int32' is
 * asked for (float32 holds integers exactly up to 2^24).
 * @example const labels = randint(0, 10, [8], { dtype: 'int32' })
 */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new Error(`randint: expected integers low < high, got low=${low}, high=${high}`);
  }
  if (options.dtype === 'int32') {
    assertInt32Value('randint', 'low', low);
    assertInt32Value('randint', 'high - 1', high - 1);
  }
  return random(shape, options, (g) => g.integer(low, high), 'randint');
}
