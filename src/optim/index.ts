/** Optimizers (SGD, Adam) and learning-rate schedulers (StepLR), with PyTorch's update rules. */
export { Adam, type AdamOptions, type AdamParamState, type AdamStateDict } from './adam.js';
export { Optimizer, type SavedBuffer } from './optimizer.js';
export { SGD, type SGDOptions, type SGDStateDict } from './sgd.js';
export { type HasLearningRate, StepLR, type StepLROptions, type StepLRStateDict } from './step-lr.js';
