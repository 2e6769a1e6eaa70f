#!/usr/bin/env node
import { createProgram } from './program.js';

// Thin entry point: parse, run, and let each command set the exit code. The process exits when
// the command is done (the CPU backend's worker threads would otherwise keep it alive).
createProgram()
  .parseAsync(process.argv)
  .then(
    () => process.exit(),
    (error: Error) => {
      process.stderr.write(`arcgrad: error: ${error.message}\n`);
      process.exit(1);
    },
  );
