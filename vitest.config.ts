import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['protocol/src/**/*.test.ts', 'relay/src/**/*.test.ts', 'relay/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite and the brokers are real; two cores are shared, so keep file parallelism modest.
    maxWorkers: 2,
  },
});
