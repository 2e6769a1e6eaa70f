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
  // Elements of a channel sit in runs of `inner` every `channels * inner`: channel = floor(k / inner) % channels.
  const inner = x.ndim >= 2 ? sizeOf(x.shape.slice(2)) : 1;
  const slopes = weight.size;
  const xd = x.data;
  const wd = weight.data;
  const out = allocate(resultDType(x, weight), x.size);
  for (let k = 0; k < out.length; k++) {
    const v = xd[k];
    out[k] = v > 0 ? v : wd[slopes === 1 ? 0 : Math.floor(k / inner) % slopes] * v;
  }
  return record('prelu', [x, weight], new Tensor(out, x.shape), (g) => {
    const gd = g.data;
    const gradX = x.requiresGrad ? allocate(g.dtype, x.size) : null;
    const gradW = weight.requiresGrad ? new Float64Array(slopes) : null;
    for (let k = 0; k < gd.length; k++) {
      const v = xd[k];
      const channel = slopes === 1 ? 0 : Math.floor(k / inner) % slopes;
      if (gradX) gradX[k] = v > 0 ? gd[k] : wd[channel] * gd[k];
      if (gradW && !(v > 0)) gradW[channel] += gd[k] * v;
    }
    return [
      gradX && new Tensor(gradX, x.shape),
      gradW && new Tensor(weight.dtype === 'float64' ? gradW : Float32Array.from(gradW), weight.shape),
    ];
  });
}
