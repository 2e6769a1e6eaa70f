/**
 * `arcgrad/node`: everything in arcgrad, including what needs Node (files, image decoding from
 * disk, identity folders, checkpoints, training runs). The same as the package's main entry under
 * Node; import it by this name where a bundler might pick the browser-safe build.
 */

export * from './index.js';
