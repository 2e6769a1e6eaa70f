/** Storage reuse between training steps: the pool, its scopes and backward's gradient recycling. */
export { BufferPool } from './buffer-pool.js';
export { keep } from './reuse-scope.js';
