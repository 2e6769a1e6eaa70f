import type { Scalar, Tensor, Tensor1D, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs-core';
import { convWithForwardOpGradients } from './tfjs-conv-grads.js';
import type { Tfjs } from './tfjs-load.js';

/**
 * The reference recipe's FaceMobileNet, ArcFace head and focal loss written with TensorFlow.js ops (NHWC), for
 * the model peer. Same layers, channels, strides and parameter count as arcgrad's and PyTorch's
 * (src/models/face-mobilenet.ts, /work/shared/seed/torch_reference.py); initial values differ,
 * which does not change the work. Convolutions either use tfjs's stock gradients or, with
 * `forwardOpGradients`, gradients written in forward ops (tfjs-conv-grads.ts).
 */

interface ConvLayer {
  weight: Variable;
  gamma: Variable;
  beta: Variable;
  runningMean: Tensor1D;
  runningVar: Tensor1D;
  /** PReLU slopes, or null for ConvBn without activation. */
  slope: Variable | null;
  stride: number;
  padding: number;
  depthwise: boolean;
  conv: ((x: Tensor4D, filter: Tensor4D) => Tensor4D) | null;
}

/** A built network with its loss; running BatchNorm statistics are not updated in training (negligible work). */
export interface TfjsFaceMobileNet {
  forward(images: Tensor4D, training: boolean): Tensor2D;
  /** Focal loss (gamma 2) of ArcFace (s 30, m 0.5) logits. */
  loss(images: Tensor4D, labels: Tensor1D, classes: number): Tensor;
  variables: Variable[];
  parameterCount: number;
}

type Block = { kind: 'layer'; layer: ConvLayer } | { kind: 'residual'; layers: ConvLayer[] };

/** Builds the network; `forwardOpGradients` swaps every convolution's gradient for the forward-op formulation. */
export function buildTfjsFaceMobileNet(
  tf: Tfjs,
  options: { classes: number; embeddingSize?: number; forwardOpGradients: boolean },
): TfjsFaceMobileNet {
  const embeddingSize = options.embeddingSize ?? 512;
  const variables: Variable[] = [];
  const variable = (tensor: Tensor): Variable => {
    const created = tf.variable(tensor);
    variables.push(created);
    return created;
  };
  let first = true;
  const layer = (
    inC: number,
    outC: number,
    kernel: number,
    stride: number,
    padding: number,
    depthwise: boolean,
    prelu: boolean,
  ): ConvLayer => {
    const fanIn = (depthwise ? 1 : inC) * kernel * kernel;
    const shape: [number, number, number, number] = depthwise ? [kernel, kernel, inC, 1] : [kernel, kernel, inC, outC];
    const built: ConvLayer = {
      weight: variable(tf.mul(tf.randomNormal(shape), Math.sqrt(2 / fanIn))),
      gamma: variable(tf.ones([outC])),
      beta: variable(tf.zeros([outC])),
      runningMean: tf.zeros([outC]) as Tensor1D,
      runningVar: tf.ones([outC]) as Tensor1D,
      slope: prelu ? variable(tf.fill([outC], 0.25)) : null,
      stride,
      padding,
      depthwise,
      conv: options.forwardOpGradients
        ? convWithForwardOpGradients(tf, { kernel, stride, padding, depthwise, inputGradient: !first })
        : null,
    };
    first = false;
    return built;
  };
  const depthWise = (inC: number, outC: number, groups: number, stride: number): ConvLayer[] => [
    layer(inC, groups, 1, 1, 0, false, true),
    layer(groups, groups, 3, stride, 1, true, true),
    layer(groups, outC, 1, 1, 0, false, false),
  ];
  const residuals = (count: number, channels: number, groups: number): Block[] =>
    Array.from({ length: count }, () => ({
      kind: 'residual' as const,
      layers: depthWise(channels, channels, groups, 1),
    }));
  const single = (layers: ConvLayer[]): Block[] => layers.map((l) => ({ kind: 'layer' as const, layer: l }));
  const blocks: Block[] = [
    ...single([layer(1, 64, 3, 2, 1, false, true), layer(64, 64, 3, 1, 1, true, false)]),
    ...single(depthWise(64, 64, 128, 2)),
    ...residuals(4, 64, 128),
    ...single(depthWise(64, 128, 256, 2)),
    ...residuals(6, 128, 256),
    ...single(depthWise(128, 128, 512, 2)),
    ...residuals(2, 128, 256),
    ...single([layer(128, 512, 1, 1, 0, false, true), layer(512, 512, 7, 1, 0, true, false)]),
  ];
  const linear = variable(tf.mul(tf.randomNormal([2048, embeddingSize]), Math.sqrt(1 / 2048)));
  const bnGamma = variable(tf.ones([embeddingSize]));
  const bnBeta = variable(tf.zeros([embeddingSize]));
  const bnMean = tf.zeros([embeddingSize]);
  const bnVar = tf.ones([embeddingSize]);
  const headWeight = variable(
    tf.mul(tf.randomNormal([options.classes, embeddingSize]), Math.sqrt(2 / (options.classes + embeddingSize))),
  );

  const batchNorm = (
    x: Tensor,
    gamma: Tensor,
    beta: Tensor,
    mean: Tensor,
    variance: Tensor,
    training: boolean,
    axes: number[],
  ) => {
    if (!training) return tf.batchNorm(x, mean, variance, beta, gamma, 1e-5);
    const moments = tf.moments(x, axes);
    return tf.batchNorm(x, moments.mean, moments.variance, beta, gamma, 1e-5);
  };
  const applyLayer = (x: Tensor4D, l: ConvLayer, training: boolean): Tensor4D => {
    const filter = l.weight as Tensor as Tensor4D;
    let y: Tensor4D;
    if (l.conv) y = l.conv(x, filter);
    else if (l.depthwise) y = tf.depthwiseConv2d(x, filter, l.stride, l.padding);
    else y = tf.conv2d(x, filter, l.stride, l.padding);
    y = batchNorm(y, l.gamma, l.beta, l.runningMean, l.runningVar, training, [0, 1, 2]) as Tensor4D;
    return l.slope ? tf.prelu(y, l.slope as Tensor as Tensor4D) : y;
  };
  const forward = (images: Tensor4D, training: boolean): Tensor2D => {
    let x = images;
    for (const block of blocks) {
      if (block.kind === 'layer') x = applyLayer(x, block.layer, training);
      else {
        let y = x;
        for (const l of block.layers) y = applyLayer(y, l, training);
        x = tf.add(y, x);
      }
    }
    const flat = tf.reshape(x, [x.shape[0], -1]) as Tensor2D;
    return batchNorm(tf.matMul(flat, linear), bnGamma, bnBeta, bnMean, bnVar, training, [0]) as Tensor2D;
  };
  const normalizeRows = (m: Tensor2D) => tf.div(m, tf.maximum(tf.norm(m, 'euclidean', 1, true), 1e-12)) as Tensor2D;
  const loss = (images: Tensor4D, labels: Tensor1D, classes: number): Tensor => {
    const cosine = tf.matMul(
      normalizeRows(forward(images, true)),
      normalizeRows(headWeight as Tensor as Tensor2D),
      false,
      true,
    );
    const m = 0.5;
    const sine = tf.sqrt(tf.clipByValue(tf.sub(1, tf.square(cosine)), 0, 1));
    const phi = tf.sub(tf.mul(cosine, Math.cos(m)), tf.mul(sine, Math.sin(m)));
    // step(cos - th) is 1 exactly where cos > th (the reference recipe's strict test); unlike greater/where it has a gradient (zero).
    const margin = tf.step(tf.sub(cosine, Math.cos(Math.PI - m)));
    const chosen = tf.add(tf.mul(margin, phi), tf.mul(tf.sub(1, margin), tf.sub(cosine, Math.sin(Math.PI - m) * m)));
    const oneHot = tf.oneHot(labels, classes);
    const logits = tf.mul(tf.add(tf.mul(oneHot, chosen), tf.mul(tf.sub(1, oneHot), cosine)), 30);
    const logp = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1));
    const p = tf.exp(tf.neg(logp));
    return tf.mean(tf.mul(tf.square(tf.sub(1, p)), logp));
  };
  return { forward, loss, variables, parameterCount: variables.reduce((sum, v) => sum + v.size, 0) - headWeight.size };
}

/** One SGD step (lr 0.1, weight decay 5e-4, PyTorch's update p -= lr * (g + wd * p)); returns the loss. */
export function sgdStep(tf: Tfjs, net: TfjsFaceMobileNet, images: Tensor4D, labels: Tensor1D, classes: number): number {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => net.loss(images, labels, classes) as Scalar, net.variables);
    for (const v of net.variables) {
      const g = grads[v.name];
      if (g) v.assign(tf.sub(v, tf.mul(tf.add(g, tf.mul(v, 5e-4)), 0.1)));
    }
    return value.dataSync()[0] ?? Number.NaN;
  });
}
