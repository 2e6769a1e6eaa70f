import { simdPlanes } from '../backend/simd/simd-planes.js';
import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { resultDType } from './operand.js';

/**
 * Parametric ReLU of torch.nn.functional.prelu: x where x > 0, else a * x, with one learned slope
 * a per channel (dim 1) or a single slope shared by all. Backward: dx = g where x > 0 else a g;
 * da = sum of g x over the elements of its channel where x <= 0.
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  if (!(x instanceof Tensor) || !(weight instanceof Tensor)) throw new Error('prelu: input and weight must be tensors');
  if (weight.ndim > 1) throw new Error(`prelu: weight must be 1-D, got shape ${formatShape(weight.shape)}`);
  const channels = x.ndim >= 2 ? x.shape[1] : 1;
  if (weight.size !== 1 && weight.size !== channels) {
    throw new Error(
      `prelu: weight has ${weight.size} elements but input ${formatShape(x.shape)} has ${channels} channels ` +
        '(dim 1); expected 1 or the channel count',
    );
  }
  // Memory is `outer` blocks of `channels` contiguous planes of `inner` elements (NCHW), so the
  // loops walk plane by plane with the slope of the plane's channel in a local.
  const outer = x.ndim >= 2 ? x.shape[0] : 1;
  const inner = x.ndim >= 2 ? sizeOf(x.shape.slice(2)) : x.size;
  const slopes = weight.size;
  const xd = x.data;
  const wd = weight.data;
  // Activations are half negative in no predictable order, so `x > 0 ? ... : ...` mispredicts a
  // branch per element (about 3x the cost of the arithmetic). For float32 inputs the test is made
  // on the bits instead (see notPositiveIndex) and selects a factor from a two-entry table.
  const signBits = xd instanceof Float32Array ? new Int32Array(xd.buffer, xd.byteOffset, xd.length) : null;
  const factors = new Float64Array(2);
  const out = allocate(resultDType(x, weight), x.size);
  // float32 in and out: the same selection on WebAssembly SIMD, four lanes at a time (same bits).
  const planes = signBits && out instanceof Float32Array ? simdPlanes() : null;
  if (planes) {
    const [xAt, outAt] = planes.stage(x.size, 2);
    planes.write(xAt, xd as Float32Array);
    for (let n = 0, base = 0; n < outer; n++) {
      for (let c = 0; c < channels; c++, base += inner) {
        planes.run.planePrelu(xAt + base * 4, outAt + base * 4, inner, wd[slopes === 1 ? 0 : c]);
      }
    }
    planes.read(outAt, out as Float32Array);
  } else {
    for (let n = 0, base = 0; n < outer; n++) {
      for (let c = 0; c < channels; c++, base += inner) {
        const slope = wd[slopes === 1 ? 0 : c];
        const end = base + inner;
        if (signBits) {
          factors[0] = 1;
          factors[1] = slope;
          for (let k = base; k < end; k++) out[k] = xd[k] * factors[notPositiveIndex(signBits[k])];
        } else {
          for (let k = base; k < end; k++) {
            const v = xd[k];
            out[k] = v > 0 ? v : slope * v;
          }
        }
      }
    }
  }
  return record('prelu', [x, weight], new Tensor(out, x.shape), (g) => {
    const gd = g.data;
    const gradX = x.requiresGrad ? allocate(g.dtype, x.size) : null;
    const gradW = weight.requiresGrad ? new Float64Array(slopes) : null;
    const planes = gd instanceof Float32Array && signBits && gradX instanceof Float32Array ? simdPlanes() : null;
    if (planes && gradW) {
      // Both gradients in one SIMD pass (the training case); the slope sums stay float64.
      const [gAt, xAt, outAt] = planes.stage(x.size, 3);
      planes.write(gAt, gd as Float32Array);
      planes.write(xAt, xd as Float32Array);
      for (let n = 0, base = 0; n < outer; n++) {
        for (let c = 0; c < channels; c++, base += inner) {
          const slope = wd[slopes === 1 ? 0 : c];
          const at = base * 4;
          gradW[slopes === 1 ? 0 : c] += planes.run.planePreluGradient(gAt + at, xAt + at, outAt + at, inner, slope);
        }
      }
      planes.read(outAt, gradX as Float32Array);
      return [new Tensor(gradX as Float32Array, x.shape), slopeGradient(weight, gradW)];
    }
    // terms[0] stays 0 (x > 0 adds nothing to the slope gradient); terms[1] holds this element's g x.
    const terms = new Float64Array(2);
    for (let n = 0, base = 0; n < outer; n++) {
      for (let c = 0; c < channels; c++, base += inner) {
        const slope = wd[slopes === 1 ? 0 : c];
        const end = base + inner;
        // One float64 partial sum per plane, added to the channel's total once.
        let planeSum = 0;
        if (signBits) {
          factors[0] = 1;
          factors[1] = slope;
          if (gradX && gradW) {
            // Both gradients in one pass over g and x (the training case).
            for (let k = base; k < end; k++) {
              const gv = gd[k];
              const index = notPositiveIndex(signBits[k]);
              gradX[k] = gv * factors[index];
              terms[1] = gv * xd[k];
              planeSum += terms[index];
            }
          } else if (gradX) {
            for (let k = base; k < end; k++) gradX[k] = gd[k] * factors[notPositiveIndex(signBits[k])];
          } else if (gradW) {
            for (let k = base; k < end; k++) {
              terms[1] = gd[k] * xd[k];
              planeSum += terms[notPositiveIndex(signBits[k])];
            }
          }
        } else {
          if (gradX) for (let k = base; k < end; k++) gradX[k] = xd[k] > 0 ? gd[k] : slope * gd[k];
          if (gradW) {
            for (let k = base; k < end; k++) {
              const v = xd[k];
              if (!(v > 0)) planeSum += gd[k] * v;
            }
          }
        }
        if (gradW) gradW[slopes === 1 ? 0 : c] += planeSum;
      }
    }
    return [gradX && new Tensor(gradX, x.shape), gradW && slopeGradient(weight, gradW)];
  });
}

/** The slope gradient in the weight's dtype, from its float64 sums. */
function slopeGradient(weight: Tensor, sums: Float64Array): Tensor {
  return new Tensor(weight.dtype === 'float64' ? sums : Float32Array.from(sums), weight.shape);
}

/**
 * 1 when the float32 with these bits is not > 0 (zero, negative, NaN), else 0, without a branch:
 * a positive number has a signed bit pattern in (0, 0x7f800000] (up to +Infinity).
 */
function notPositiveIndex(bits: number): number {
  return ((bits - 1) >>> 31) | (bits >>> 31) | ((0x7f800000 - bits) >>> 31);
}
