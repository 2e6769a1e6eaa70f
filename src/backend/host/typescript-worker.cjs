// Starts a worker whose program is TypeScript source (development, Vitest): registers tsx's
// CommonJS hook in this thread, then loads the program. Node 20 applies no module.register()
// loader hooks inside worker threads, so `--import tsx` cannot start a .ts worker there.
const { workerData } = require('node:worker_threads');

require(workerData.typescript.hook);
require(workerData.typescript.entry);
