import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// The soak runs (`npm run soak`) have their own config, soak/vitest.config.ts: `npm test` never includes soak/.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite, the brokers and Chromium are real; two cores are shared, so keep file parallelism modest.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['protocol/src/**/*.test.ts', 'relay/src/**/*.test.ts', 'relay/test/**/*.test.ts', 'device-sdk/src/**/*.test.ts', 'device-sdk/test/**/*.test.ts', 'mcp/test/**/*.test.ts', 'x402/test/**/*.test.ts'],
        },
      },
      {
        extends: true,
        // WXT's test setup: `wxt/browser` is its in-memory fake browser (reset it with
        // `fakeBrowser.reset()`), and import.meta.env.FIREFOX and friends are defined as in a build.
        plugins: [WxtVitest()],
        test: {
          name: 'extension',
          include: ['extension/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['e2e/global-setup.ts'],
          // One Chromium at a time, after the other projects: each file starts a relay, a shop and
          // a browser, and on two shared cores their timing is only steady without other load.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
