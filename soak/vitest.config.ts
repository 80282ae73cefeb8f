import { defineConfig } from 'vitest/config';

/**
 * `npm run soak`: long runs that `npm test` leaves out (its projects never include soak/).
 * Every file here is one soak; they run one at a time, each with its own relay.
 */
export default defineConfig({
  test: {
    include: ['soak/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60 * 60_000,
    hookTimeout: 5 * 60_000,
  },
});
