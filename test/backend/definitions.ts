import type { Conv2dGeometry, KernelBackend, MatmulProblem } from '../../src/backend/kernels.js';
import type { Storage } from '../../src/tensor/dtype.js';

/**
 * The kernels written straight from their definitions (PyTorch's conv2d and matmul docs), one
 * output element at a time with bounds tests on every read: slow, obviously right, and independent
 * of src/backend/cpu, so the CPU backend itself is checked against something it did not write.
 */

function matmul(p: MatmulProblem): void {
  for (let b = 0; b < p.batch; b++) {
    for (let i = 0; i < p.m; i++) {
      for (let j = 0; j < p.n; j++) {
        let sum = 0;
        for (let q = 0; q < p.k; q++) {
          const a = p.a[b * p.aBatchStride + (p.transposeA ? q * p.m + i : i * p.k + q)];
          const bv = p.b[b * p.bBatchStride + (p.transposeB ? j * p.k + q : q * p.n + j)];
          sum += a * bv;
        }
        p.out[(b * p.m + i) * p.n + j] = sum;
      }
    }
  }
}

/** Calls visit(n, o, oh, ow, c, kh, kw, inputIndex, weightIndex, outputIndex) for every valid term. */
function forEachTerm(
  g: Conv2dGeometry,
  visit: (inputIndex: number, weightIndex: number, outputIndex: number) => void,
): void {
  const inPerGroup = g.inChannels / g.groups;
  const outPerGroup = g.outChannels / g.groups;
  for (let n = 0; n < g.batch; n++)
    for (let o = 0; o < g.outChannels; o++)
      for (let oh = 0; oh < g.outHeight; oh++)
        for (let ow = 0; ow < g.outWidth; ow++)
          for (let c = 0; c < inPerGroup; c++)
            for (let kh = 0; kh < g.kernelHeight; kh++)
              for (let kw = 0; kw < g.kernelWidth; kw++) {
                const ih = oh * g.strideHeight - g.paddingHeight + kh;
                const iw = ow * g.strideWidth - g.paddingWidth + kw;
                if (ih < 0 || ih >= g.inHeight || iw < 0 || iw >= g.inWidth) continue;
                const ic = Math.floor(o / outPerGroup) * inPerGroup + c;
                visit(
                  ((n * g.inChannels + ic) * g.inHeight + ih) * g.inWidth + iw,
                  ((o * inPerGroup + c) * g.kernelHeight + kh) * g.kernelWidth + kw,
                  ((n * g.outChannels + o) * g.outHeight + oh) * g.outWidth + ow,
                );
              }
}

/** The definitional kernels as a backend. */
export const definitionBackend: KernelBackend = {
  name: 'definition',
  matmul,
  conv2dForward(input: Storage, weight: Storage, out: Storage, g: Conv2dGeometry) {
    out.fill(0);
    forEachTerm(g, (i, w, o) => {
      out[o] += input[i] * weight[w];
    });
  },
  conv2dBackwardInput(gradOutput: Storage, weight: Storage, gradInput: Storage, g: Conv2dGeometry) {
    gradInput.fill(0);
    forEachTerm(g, (i, w, o) => {
      gradInput[i] += gradOutput[o] * weight[w];
    });
  },
  conv2dBackwardWeight(input: Storage, gradOutput: Storage, gradWeight: Storage, g: Conv2dGeometry) {
    gradWeight.fill(0);
    forEachTerm(g, (i, w, o) => {
      gradWeight[w] += gradOutput[o] * input[i];
    });
  },
};
