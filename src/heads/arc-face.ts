import { Module } from '../nn/module.js';
import type { Parameter } from '../nn/parameter.js';
import type { Indices } from '../ops/indices.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { arcFaceMargin } from './arc-margin.js';
import { headWeight } from './head-weight.js';
import { assertHeadOption, cosineSimilarity, marginLogits } from './margin-logits.js';

/** Options of ArcFace. */
export interface ArcFaceOptions {
  /** Scale s of the logits (default 30). */
  s?: number;
  /** Additive angular margin m in radians, 0 <= m < pi (default 0.5). */
  m?: number;
  /** insightface's easy margin: the margin applies only where cos > 0, no fallback (default false). */
  easyMargin?: boolean;
}

function checkedArcFaceOptions(options: ArcFaceOptions): Required<ArcFaceOptions> {
  const { s = 30, m = 0.5, easyMargin = false } = options;
  assertHeadOption('ArcFace', 's', s, Number.MIN_VALUE, Number.POSITIVE_INFINITY);
  assertHeadOption('ArcFace', 'm', m, 0, Math.PI);
  if (typeof easyMargin !== 'boolean') throw new Error(`ArcFace: easyMargin must be a boolean, got ${easyMargin}`);
  return { s, m, easyMargin };
}

/**
 * ArcFace logits (Deng et al. 2019, additive angular margin): s * phi(cos) in each sample's label
 * column and s * cos elsewhere; phi is {@link arcFaceMargin} (cos(theta + m) with the reference recipe's fallback).
 * Gradients are finite for every input, including (anti)parallel embeddings and weights.
 * Shapes: embeddings [batch, features], weight [classes, features], labels [batch] -> [batch, classes].
 * @param embeddings [batch, features], any length (only directions matter)
 * @param weight class weights [classes, features]
 * @param labels one class index per sample
 * @param options s (default 30), m (default 0.5 rad) and easyMargin
 * @returns logits [batch, classes]
 * @example arcFaceLogits(embeddings, head.weight, labels, { s: 64, m: 0.5 })
 */
export function arcFaceLogits(
  embeddings: Tensor,
  weight: Tensor,
  labels: Indices,
  options: ArcFaceOptions = {},
): Tensor {
  const { s, m, easyMargin } = checkedArcFaceOptions(options);
  const cosine = cosineSimilarity('ArcFace', embeddings, weight);
  return marginLogits('ArcFace', cosine, labels, s, (target) => arcFaceMargin(target, { m, easyMargin }));
}

/** Options of the ArcFace module: the margin options plus the generator for the weight's initialisation. */
export interface ArcFaceModuleOptions extends ArcFaceOptions {
  /** Generator for the Xavier-uniform initialisation; the seeded default generator when omitted. */
  generator?: Generator;
}

/** The ArcFace head as a module, with the reference recipe's `weight` parameter [classes, inFeatures] (Xavier-uniform). */
export class ArcFace extends Module<[Tensor, Indices], Tensor> {
  /** Class weights [classes, inFeatures]; only their directions matter. */
  readonly weight: Parameter;
  /** Scale of the logits. */
  readonly s: number;
  /** Additive angular margin in radians. */
  readonly m: number;
  /** Whether insightface's easy margin is used. */
  readonly easyMargin: boolean;

  /**
   * Creates the head.
   * @param inFeatures length of each embedding (the model's embeddingSize)
   * @param classes number of identities in the training set
   * @param options s (default 30), m (default 0.5 rad), easyMargin, and the generator for the weight's initialisation
   * @example const head = new ArcFace(512, identities); const loss = crossEntropy(head.forward(model.forward(x), labels), labels);
   */
  constructor(inFeatures: number, classes: number, options: ArcFaceModuleOptions = {}) {
    super();
    ({ s: this.s, m: this.m, easyMargin: this.easyMargin } = checkedArcFaceOptions(options));
    this.weight = this.registerParameter('weight', headWeight('ArcFace', inFeatures, classes, options.generator));
  }

  /**
   * The margin logits for training; at test time compare embeddings by cosine instead.
   * @param embeddings [batch, inFeatures]
   * @param labels one class index per sample
   * @returns logits [batch, classes] for crossEntropy or focalLoss
   */
  forward(embeddings: Tensor, labels: Indices): Tensor {
    return arcFaceLogits(embeddings, this.weight, labels, { s: this.s, m: this.m, easyMargin: this.easyMargin });
  }
}
