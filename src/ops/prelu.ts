import { runKernel } from '../backend/registry.js';
import { record } from '../tensor/autograd.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { resultDType } from './operand.js';

/**
 * Parametric ReLU of torch.nn.functional.prelu: x where x > 0, else a * x, with one learned slope
 * a per channel (dim 1) or a single slope shared by all. Backward: dx = g where x > 0 else a g;
 * da = sum of g x over the elements of its channel where x <= 0. The loops are the prelu and
 * preluBackward kernels (src/backend/cpu/reference/prelu.ts is the plain version).
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
  const outer = x.ndim >= 2 ? x.shape[0] : 1;
  const inner = x.ndim >= 2 ? sizeOf(x.shape.slice(2)) : x.size;
  const planes = { outer, channels, inner, x: x.data, weight: weight.data };
  const out = allocate(resultDType(x, weight), x.size);
  runKernel('prelu', { ...planes, out });
  return record('prelu', [x, weight], new Tensor(out, x.shape), (g) => {
    const gradInput = x.requiresGrad ? allocate(g.dtype, x.size) : null;
    const gradWeight = weight.requiresGrad ? new Float64Array(weight.size) : null;
    runKernel('preluBackward', { ...planes, gradOutput: g.data, gradInput, gradWeight });
    return [gradInput && new Tensor(gradInput, x.shape), gradWeight && slopeGradient(weight, gradWeight)];
  });
}

/** The slope gradient in the weight's dtype, from its float64 sums. */
function slopeGradient(weight: Tensor, sums: Float64Array): Tensor {
  return new Tensor(weight.dtype === 'float64' ? sums : Float32Array.from(sums), weight.shape);
}
