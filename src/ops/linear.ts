import { record } from '../tensor/autograd.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { sumToShape } from './broadcast.js';
import { matmulKernel } from './matmul.js';

function assertLinearShapes(x: Tensor, weight: Tensor, bias: Tensor | undefined): void {
  if (!(x instanceof Tensor) || !(weight instanceof Tensor))
    throw new Error('linear: input and weight must be tensors');
  if (weight.ndim !== 2) {
    throw new Error(`linear: weight must be 2-D [outFeatures, inFeatures], got shape ${formatShape(weight.shape)}`);
  }
  const [outFeatures, inFeatures] = weight.shape;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures) {
    throw new Error(
      `linear: input has shape ${formatShape(x.shape)} but weight ${formatShape(weight.shape)} expects ` +
        `${inFeatures} features in the last dim`,
    );
  }
  if (bias !== undefined && (!(bias instanceof Tensor) || bias.ndim !== 1 || bias.shape[0] !== outFeatures)) {
    const actual = bias instanceof Tensor ? formatShape(bias.shape) : String(bias);
    throw new Error(
      `linear: bias must have shape [${outFeatures}] to match weight ${formatShape(weight.shape)}, got ${actual}`,
    );
  }
}

/**
 * Affine map x @ W^T + b of torch.nn.functional.linear: x is [..., in], weight [out, in], bias [out].
 * The product runs on the active backend's matmul kernel. Backward: dx = g @ W, dW = g^T x summed
 * over every batch row, db = g summed over every batch row.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  assertLinearShapes(x, weight, bias);
  const [outFeatures, inFeatures] = weight.shape;
  const batchShape = x.shape.slice(0, -1);
  const rows = sizeOf(batchShape);
  // Every batch dim folds into rows: one [rows, in] x [in, out] product on the kernel.
  const x2 = new Tensor(x.data, [rows, inFeatures]);
  const product = matmulKernel(x2, weight, false, true);
  const out = product.data;
  if (bias !== undefined) {
    const bd = bias.data;
    for (let r = 0; r < rows; r++) for (let o = 0; o < outFeatures; o++) out[r * outFeatures + o] += bd[o];
  }
  const inputs = bias === undefined ? [x, weight] : [x, weight, bias];
  return record('linear', inputs, new Tensor(out, [...batchShape, outFeatures]), (g) => {
    const g2 = new Tensor(g.data, [rows, outFeatures]);
    const gradX = x.requiresGrad ? new Tensor(matmulKernel(g2, weight, false, false).data, x.shape) : null;
    const gradW = weight.requiresGrad ? matmulKernel(g2, x2, true, false) : null;
    const gradB = bias?.requiresGrad ? sumToShape(g2, [outFeatures]) : null;
    return [gradX, gradW, gradB];
  });
}
