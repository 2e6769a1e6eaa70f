import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The examples import 'arcgrad' as a user's project would; here that name is this repository's
  // source (tsconfig.json maps it the same way for tsc and tsx).
  resolve: { alias: { arcgrad: fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Property tests are CPU-bound; two workers match the two cores of the build machine.
    maxWorkers: 2,
  },
});
