/** Tensors, creation, the seeded generator and the autograd engine. */
export { enableGrad, type GradNode, isGradEnabled, noGrad } from './autograd.js';
export {
  arange,
  type CreateOptions,
  eye,
  full,
  ones,
  type RandomOptions,
  rand,
  randint,
  randn,
  type TensorOptions,
  tensor,
  zeros,
} from './create.js';
export type { DType, Storage } from './dtype.js';
export {
  formatGraph,
  type GraphNodeView,
  type GraphViewOptions,
  graphNodes,
  printGraph,
  toDot,
  toSvg,
} from './graph-view.js';
export { type ProfileEntry, type ProfileReport, profile } from './profiler.js';
export { defaultGenerator, Generator, manualSeed } from './random.js';
export { type BackwardOptions, type NestedArray, Tensor } from './tensor.js';
