import { createInterface } from 'node:readline';
import { openRunFolder } from '../../src/train/index.js';

// A trainer's start, and nothing else: for each folder named on stdin, try to take its lock and
// print whether this process won. Locks are kept until stdin closes, as a running trainer keeps its.
const lines = createInterface({ input: process.stdin });
console.log('ready');
for await (const folder of lines) {
  try {
    await openRunFolder(folder);
    console.log(JSON.stringify({ folder, won: true }));
  } catch (error) {
    console.log(JSON.stringify({ folder, won: false, message: (error as Error).message }));
  }
}
