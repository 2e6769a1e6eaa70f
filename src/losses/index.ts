/**
 * Losses: cross-entropy and focal loss (stable for the large logits of margin heads), binary
 * cross-entropy with logits, and the regression losses mse and l1.
 */

export { binaryCrossEntropyWithLogits } from './binary-cross-entropy.js';
export { type CrossEntropyOptions, crossEntropy, type Reduction } from './cross-entropy.js';
export { type FocalLossOptions, focalLoss } from './focal-loss.js';
export { type ElementwiseLossOptions, l1Loss, mseLoss } from './regression.js';
