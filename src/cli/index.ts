/** cli: the `arcgrad` command line (thin entry points over the library; training lives in src/train). */
export { createProgram } from './program.js';
