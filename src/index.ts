/**
 * arcgrad: a from-scratch TypeScript tensor engine with reverse-mode autodiff, CPU and gpu.js
 * kernels, and the face-recognition stack built on it. This is the package's entry under Node
 * (also `arcgrad/node`); bundlers for the browser get `browser.ts`, which leaves out files,
 * image decoding, checkpoints and training.
 */

export * from './backend/index.js';
export * from './data/index.js';
export * from './eval/index.js';
export * from './heads/index.js';
export * from './io/index.js';
export * from './losses/index.js';
export * from './memory/index.js';
export * from './models/index.js';
export * from './nn/index.js';
export * from './ops/index.js';
export * from './optim/index.js';
export * from './tensor/index.js';
export * from './train/index.js';
