/**
 * arcgrad without Node's file system, workers or image files: the tensor engine, ops, layers,
 * models, heads, losses, optimizers, verification metrics and synthetic faces. This is the
 * package's entry under the `browser` and `default` export conditions; Node gets `index.ts`,
 * which adds files, image decoding, checkpoints and training on disk (also as `arcgrad/node`).
 */

export * from './backend/index.js';
export * from './data/in-memory.js';
export * from './eval/index.js';
export * from './heads/index.js';
export * from './losses/index.js';
export * from './memory/index.js';
export * from './models/index.js';
export * from './nn/index.js';
export * from './ops/index.js';
export * from './optim/index.js';
export * from './tensor/index.js';
