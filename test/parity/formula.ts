import { type Module, PReLU } from '../../src/nn/index.js';
import { Tensor } from '../../src/tensor/index.js';

/**
 * The integer-hash formula that scripts/make_parity_fixtures.py uses for weights, inputs and loss
 * weights. Every step is exact in IEEE arithmetic (32-bit integer hashing, division by 2^32,
 * one multiply-add in float64, one rounding to float32), so both sides get bit-identical values.
 */

/** Streams of the formula beyond the state dict's entry indices 0..331. */
export const STREAM_INPUT = 1000;
export const STREAM_LOSS = 1001;
export const STREAM_HEAD = 1002;
export const STREAM_DOT = 1003;

/** The finaliser of the 'lowbias32' integer hash (mix32 in the Python script). */
export function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** `count` float64 values in [-1, 1) from stream `stream` (hash_uniform in the script). */
export function hashUniform(stream: number, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const key = (Math.imul(i, 0x9e3779b1) + Math.imul(stream, 0x85ebca77) + 0x12345) >>> 0;
    out[i] = (mix32(key) / 4294967296) * 2 - 1;
  }
  return out;
}

/** A float32 tensor of `shape` holding `offset + scale * hashUniform(stream)`. */
export function hashTensor(stream: number, shape: readonly number[], scale = 1, offset = 0): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = hashUniform(stream, size);
  return new Tensor(
    Float32Array.from(v, (u) => offset + scale * u),
    shape,
  );
}

/** The state dict of formula values for a module (formula_value / load_formula in the script). */
export function formulaStateDict(module: Module<never[], unknown>): Map<string, Tensor> {
  const preluKeys = new Set(
    module
      .namedModules()
      .filter(([, m]) => m instanceof PReLU)
      .map(([name]) => `${name}.weight`),
  );
  const out = new Map<string, Tensor>();
  [...module.stateDict()].forEach(([key, current], stream) => {
    const shape = current.shape;
    if (key.endsWith('num_batches_tracked')) out.set(key, new Tensor(new Float64Array(current.size), shape));
    else if (key.endsWith('running_mean')) out.set(key, hashTensor(stream, shape, 0.1));
    else if (key.endsWith('running_var')) out.set(key, hashTensor(stream, shape, 0.25, 1));
    else if (shape.length >= 2) out.set(key, hashTensor(stream, shape, Math.sqrt(3 / (current.size / shape[0]))));
    else if (preluKeys.has(key)) out.set(key, hashTensor(stream, shape, 0.1, 0.25));
    else if (key.endsWith('weight')) out.set(key, hashTensor(stream, shape, 0.2, 1));
    else out.set(key, hashTensor(stream, shape, 0.1));
  });
  return out;
}

/** The elements the script stores for tensors above its sample limit (sample_indices in the script). */
export function sampleIndices(size: number, count: number): number[] {
  const stride = Math.floor(size / count);
  return Array.from({ length: count }, (_, k) => Math.floor((k * size) / count) + ((k * 131) % stride));
}
