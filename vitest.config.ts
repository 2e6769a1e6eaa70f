import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Property tests are CPU-bound; two workers match the two cores of the build machine.
    maxWorkers: 2,
  },
});
