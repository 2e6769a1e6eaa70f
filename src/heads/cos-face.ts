import { Module } from '../nn/module.js';
import type { Parameter } from '../nn/parameter.js';
import { sub } from '../ops/index.js';
import type { Indices } from '../ops/indices.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { headWeight } from './head-weight.js';
import { assertHeadOption, cosineSimilarity, marginLogits } from './margin-logits.js';

/** Options of CosFace. */
export interface CosFaceOptions {
  /** Scale s of the logits (default 30). */
  s?: number;
  /** Additive cosine margin m (default 0.4). */
  m?: number;
}

function checkedCosFaceOptions(options: CosFaceOptions): Required<CosFaceOptions> {
  const { s = 30, m = 0.4 } = options;
  assertHeadOption('CosFace', 's', s, Number.MIN_VALUE, Number.POSITIVE_INFINITY);
  assertHeadOption('CosFace', 'm', m, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  return { s, m };
}

/**
 * CosFace logits (Wang et al. 2018, large margin cosine loss): s * (cos - m) in each sample's label
 * column and s * cos elsewhere, where cos is the cosine between the embedding and each class weight.
 * Shapes: embeddings [batch, features], weight [classes, features], labels [batch] -> [batch, classes].
 * @param embeddings [batch, features], any length (only directions matter)
 * @param weight class weights [classes, features]
 * @param labels one class index per sample
 * @param options s (default 30) and m (default 0.4)
 * @returns logits [batch, classes]
 * @example cosFaceLogits(embeddings, head.weight, labels, { s: 30, m: 0.35 })
 */
export function cosFaceLogits(
  embeddings: Tensor,
  weight: Tensor,
  labels: Indices,
  options: CosFaceOptions = {},
): Tensor {
  const { s, m } = checkedCosFaceOptions(options);
  const cosine = cosineSimilarity('CosFace', embeddings, weight);
  return marginLogits('CosFace', cosine, labels, s, (target) => sub(target, m));
}

/** Options of the CosFace module: the margin options plus the generator for the weight's initialisation. */
export interface CosFaceModuleOptions extends CosFaceOptions {
  /** Generator for the Xavier-uniform initialisation; the seeded default generator when omitted. */
  generator?: Generator;
}

/** The CosFace head as a module, with the reference recipe's `weight` parameter [classes, inFeatures] (Xavier-uniform). */
export class CosFace extends Module<[Tensor, Indices], Tensor> {
  /** Class weights [classes, inFeatures]; only their directions matter. */
  readonly weight: Parameter;
  /** Scale of the logits. */
  readonly s: number;
  /** Additive cosine margin. */
  readonly m: number;

  /**
   * Creates the head.
   * @param inFeatures length of each embedding (the model's embeddingSize)
   * @param classes number of identities in the training set
   * @param options s (default 30), m (default 0.4), and the generator for the weight's initialisation
   * @example const head = new CosFace(512, identities); const loss = crossEntropy(head.forward(model.forward(x), labels), labels);
   */
  constructor(inFeatures: number, classes: number, options: CosFaceModuleOptions = {}) {
    super();
    ({ s: this.s, m: this.m } = checkedCosFaceOptions(options));
    this.weight = this.registerParameter('weight', headWeight('CosFace', inFeatures, classes, options.generator));
  }

  /**
   * The margin logits for training; at test time compare embeddings by cosine instead.
   * @param embeddings [batch, inFeatures]
   * @param labels one class index per sample
   * @returns logits [batch, classes] for crossEntropy or focalLoss
   */
  forward(embeddings: Tensor, labels: Indices): Tensor {
    return cosFaceLogits(embeddings, this.weight, labels, { s: this.s, m: this.m });
  }
}
