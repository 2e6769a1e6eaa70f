/** nn: Module (parameters, buffers, state dicts with PyTorch's keys), layers and initialisers. */
export { BatchNorm1d, BatchNorm2d, type BatchNormLayerOptions } from './batch-norm.js';
export { Conv2d, type Conv2dLayerOptions } from './conv2d.js';
export { Dropout } from './dropout.js';
export { Flatten } from './flatten.js';
export {
  computeFans,
  type InitOptions,
  type KaimingOptions,
  kaimingUniform,
  uniformInit,
  type XavierOptions,
  xavierUniform,
} from './init.js';
export { LayerNorm, type LayerNormLayerOptions } from './layer-norm.js';
export { Linear, type LinearOptions } from './linear.js';
export {
  type AnyModule,
  type LoadStateDictOptions,
  type LoadStateDictResult,
  Module,
  type StateDict,
  type StateDictInput,
} from './module.js';
export { Parameter } from './parameter.js';
export { AvgPool2d, MaxPool2d } from './pooling.js';
export { PReLU } from './prelu.js';
export { Sequential } from './sequential.js';
