/**
 * Optimizers (SGD, Adam, AdamW) and learning-rate schedulers (StepLR, CosineAnnealingLR, LinearLR
 * for warm-up), with PyTorch's update rules and parameter groups.
 */
export { Adam, type AdamOptions, type AdamParamState, type AdamStateDict } from './adam.js';
export { AdamW, type AdamWOptions } from './adamw.js';
export {
  CosineAnnealingLR,
  type CosineAnnealingLROptions,
  type CosineAnnealingLRStateDict,
} from './cosine-annealing-lr.js';
export { LinearLR, type LinearLROptions, type LinearLRStateDict } from './linear-lr.js';
export {
  Optimizer,
  type ParamGroup,
  type ParamGroupOptions,
  type ParamsOrGroups,
  type SavedBuffer,
  type SavedParamGroup,
} from './optimizer.js';
export type { HasLearningRate, ScheduledLrsState } from './scheduled-lrs.js';
export { SGD, type SGDOptions, type SGDStateDict } from './sgd.js';
export { StepLR, type StepLROptions, type StepLRStateDict } from './step-lr.js';
