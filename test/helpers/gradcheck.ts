import { noGrad } from '../../src/tensor/autograd.js';
import { Generator } from '../../src/tensor/random.js';
import { formatShape } from '../../src/tensor/shape.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** Tolerances of a finite-difference check; defaults are PyTorch gradcheck's. */
export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Seed of the random projection of the output. */
  seed?: number;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Checks autodiff gradients of `fn` against central finite differences, like torch.autograd.gradcheck.
 * The output is projected onto fixed random weights w, so one backward pass checks the
 * vector-Jacobian product for every input element: d(w . fn(x)) / dx.
 * Inputs must be float64 tensors with requiresGrad; throws with the worst mismatch.
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): void {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 1234 } = options;
  for (const input of inputs) {
    if (input.dtype !== 'float64') throw new Error('gradcheck: inputs must be float64');
    input.grad = null;
  }
  const output = fn(...inputs);
  const generator = new Generator(seed);
  const weights = new Float64Array(output.size).map(() => generator.normal());
  if (!output.requiresGrad) throw new Error('gradcheck: the output does not require grad');
  output.backward(new Tensor(weights.slice(), output.shape));

  inputs.forEach((input, inputIndex) => {
    if (!input.requiresGrad) return;
    const analytic = input.grad?.data ?? new Float64Array(input.size);
    if (input.grad && formatShape(input.grad.shape) !== formatShape(input.shape)) {
      throw new Error(`gradcheck: grad of input ${inputIndex} has shape ${formatShape(input.grad.shape)}`);
    }
    for (let i = 0; i < input.size; i++) {
      const original = input.data[i];
      input.data[i] = original + eps;
      const plus = noGrad(() => dot(fn(...inputs).data, weights));
      input.data[i] = original - eps;
      const minus = noGrad(() => dot(fn(...inputs).data, weights));
      input.data[i] = original;
      const numeric = (plus - minus) / (2 * eps);
      const error = Math.abs(analytic[i] - numeric);
      if (!(error <= atol + rtol * Math.abs(numeric))) {
        throw new Error(
          `gradcheck: input ${inputIndex} ${formatShape(input.shape)} element ${i}: autodiff ${analytic[i]} vs finite difference ${numeric}`,
        );
      }
    }
  });
}
