import type { NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import type { Conv2dGeometry } from '../../src/backend/index.js';
import type { CaseInputs, KernelContender, PreparedKernel } from '../lib/kernel-suite.js';
import type { ConvCase, KernelCase } from '../lib/workloads.js';
import { isDepthwise, nchwToNhwc, nhwcToNchw, weightFromTfjs, weightToTfjs } from './layout.js';
import { denseGradWeight, depthwiseGradInput, depthwiseGradWeight } from './tfjs-conv-grads.js';
import type { Tfjs, TfjsPeers } from './tfjs-load.js';

/**
 * TensorFlow.js peers for the kernel benchmark: the same matmul and convolution problems, timed
 * with upload (tf.tensor from a Float32Array) and readback (dataSync) included, like arcgrad's
 * rows. Convolutions call the exact kernels a training step uses (Conv2D, Conv2DBackpropInput,
 * Conv2DBackpropFilter and the depthwise three); where the WASM backend has no kernel the row
 * runs the forward-op formulation of tfjs-conv-grads.ts instead and says so.
 */

const kernelNames: Record<ConvCase['pass'], [dense: string, depthwise: string]> = {
  forward: ['Conv2D', 'DepthwiseConv2dNative'],
  gradInput: ['Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropInput'],
  gradWeight: ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter'],
};

type Shape4 = [number, number, number, number];

function shapes(g: Conv2dGeometry): { input: Shape4; output: Shape4; filter: Shape4 } {
  return {
    input: [g.batch, g.inHeight, g.inWidth, g.inChannels],
    output: [g.batch, g.outHeight, g.outWidth, g.outChannels],
    filter: isDepthwise(g)
      ? [g.kernelHeight, g.kernelWidth, g.inChannels, 1]
      : [g.kernelHeight, g.kernelWidth, g.inChannels, g.outChannels],
  };
}

/** The stock kernel call for a convolution case. */
function stockConv(tf: Tfjs, problem: ConvCase, first: Tensor4D, second: Tensor4D): Tensor {
  const g = problem.geometry;
  const depthwise = isDepthwise(g);
  const name = kernelNames[problem.pass][depthwise ? 1 : 0];
  const stride = g.strideHeight;
  const pad = g.paddingHeight;
  const { input, filter } = shapes(g);
  const attrs: NamedAttrMap = { strides: [stride, stride], pad, dilations: [1, 1], dataFormat: 'NHWC' };
  if (problem.pass === 'forward') return tf.engine().runKernel(name, { x: first, filter: second }, attrs) as Tensor;
  if (problem.pass === 'gradInput') {
    return tf.engine().runKernel(name, { dy: first, filter: second }, { ...attrs, inputShape: input }) as Tensor;
  }
  return tf.engine().runKernel(name, { x: first, dy: second }, { ...attrs, filterShape: filter }) as Tensor;
}

/** The forward-op formulation for a convolution gradient the WASM backend lacks. */
function forwardOpConv(tf: Tfjs, problem: ConvCase, first: Tensor4D, second: Tensor4D): Tensor {
  const g = problem.geometry;
  const spec = { kernel: g.kernelHeight, stride: g.strideHeight, padding: g.paddingHeight };
  if (problem.pass === 'gradInput') return depthwiseGradInput(tf, first, second, shapes(g).input, spec);
  return isDepthwise(g) ? depthwiseGradWeight(tf, first, second, spec) : denseGradWeight(tf, first, second, spec);
}

/** Converts a case's arcgrad inputs to tfjs layouts and says how to read the output back. */
function convLayouts(problem: ConvCase, inputs: CaseInputs) {
  const g = problem.geometry;
  const { input, output, filter } = shapes(g);
  const activation = (values: Float32Array, [n, h, w, c]: Shape4) => nchwToNhwc(values, n, c, h, w);
  if (problem.pass === 'forward') {
    return {
      first: { values: activation(inputs.first, input), shape: input },
      second: { values: weightToTfjs(inputs.second, g), shape: filter },
      back: (values: ArrayLike<number>) => nhwcToNchw(values, g.batch, g.outChannels, g.outHeight, g.outWidth),
    };
  }
  if (problem.pass === 'gradInput') {
    return {
      first: { values: activation(inputs.first, output), shape: output },
      second: { values: weightToTfjs(inputs.second, g), shape: filter },
      back: (values: ArrayLike<number>) => nhwcToNchw(values, g.batch, g.inChannels, g.inHeight, g.inWidth),
    };
  }
  return {
    first: { values: activation(inputs.first, input), shape: input },
    second: { values: activation(inputs.second, output), shape: output },
    back: (values: ArrayLike<number>) => weightFromTfjs(values, g),
  };
}

function contender(peers: TfjsPeers, peer: string): KernelContender {
  const { tf } = peers;
  const backendName = peer === 'tfjs-wasm' ? 'wasm' : 'cpu';
  const missing = new Set(peer === 'tfjs-wasm' ? peers.wasmMissingKernels : []);
  const activate = () => {
    // Both backends were initialised at load, so setBackend switches synchronously.
    void tf.setBackend(backendName);
    if (tf.getBackend() !== backendName) throw new Error(`${peer}: could not switch TensorFlow.js to '${backendName}'`);
  };
  return {
    engine: 'tfjs',
    backend: peer,
    // tfjs-cpu convolutions take seconds per call: sampled and capped like gpu.js.
    slow: peer === 'tfjs-cpu',
    prepare(problem: KernelCase, inputs: CaseInputs): PreparedKernel {
      activate();
      let result: ArrayLike<number> = new Float32Array(0);
      if (problem.kind === 'matmul') {
        const { m, k, n, transposeA, transposeB } = problem;
        const shapeA: [number, number] = transposeA ? [k, m] : [m, k];
        const shapeB: [number, number] = transposeB ? [n, k] : [k, n];
        return {
          run: () => {
            // Assigned inside tidy, not returned: tidy walks a returned typed array element by element.
            tf.tidy(() => {
              const a = tf.tensor2d(inputs.first, shapeA);
              const b = tf.tensor2d(inputs.second, shapeB);
              result = tf.matMul(a, b, transposeA, transposeB).dataSync();
            });
          },
          output: () => result,
          kernelClass: () => `BatchMatMul (${backendName})`,
        };
      }
      const layouts = convLayouts(problem, inputs);
      const name = kernelNames[problem.pass][isDepthwise(problem.geometry) ? 1 : 0];
      const forwardOps = missing.has(name);
      return {
        run: () => {
          tf.tidy(() => {
            const first = tf.tensor4d(layouts.first.values, layouts.first.shape);
            const second = tf.tensor4d(layouts.second.values, layouts.second.shape);
            const out = forwardOps ? forwardOpConv(tf, problem, first, second) : stockConv(tf, problem, first, second);
            result = out.dataSync();
          });
        },
        output: () => layouts.back(result),
        kernelClass: () =>
          forwardOps ? `forward ops (no WASM ${name}; stock tfjs throws 'not registered')` : `${name} (${backendName})`,
      };
    },
  };
}

/** One contender per loaded TensorFlow.js backend. */
export function tfjsKernelContenders(peers: TfjsPeers): KernelContender[] {
  return peers.available.map((peer) => contender(peers, peer));
}
