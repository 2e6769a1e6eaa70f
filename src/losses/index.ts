/** Classification losses: cross-entropy and focal loss, stable for the large logits of margin heads. */

export { type CrossEntropyOptions, crossEntropy, type Reduction } from './cross-entropy.js';
export { type FocalLossOptions, focalLoss } from './focal-loss.js';
