/**
 * arcgrad: a from-scratch TypeScript tensor engine with reverse-mode autodiff, CPU and gpu.js
 * kernels, and the face-recognition stack built on it. This is the package's entry under Node
 * (also `arcgrad/node`); bundlers for the browser get `browser.ts`, which leaves out files,
 * image decoding, checkpoints and training.
 */

export * from './browser.js';
export * from './data/index.js';
export * from './io/index.js';
export * from './train/index.js';
