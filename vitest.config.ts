import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

/**
 * The soak runs (`npm run soak`: every test file under soak/) take minutes, so
 * the 'soak' project exists only when it is asked for by name
 * (`vitest run --project soak`); `npm test` and a bare `vitest run` leave it out.
 */
const soakAsked = process.argv.some((arg, i) => arg === '--project=soak' || (arg === '--project' && process.argv[i + 1] === 'soak'));

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
          include: ['protocol/src/**/*.test.ts', 'relay/src/**/*.test.ts', 'relay/test/**/*.test.ts', 'device-sdk/src/**/*.test.ts', 'device-sdk/test/**/*.test.ts'],
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
      ...(soakAsked
        ? [{
            extends: true as const,
            test: {
              name: 'soak',
              include: ['soak/**/*.test.ts'],
              // One soak at a time: each runs relays, brokers and clients of its own on the two shared cores.
              fileParallelism: false,
              testTimeout: 30 * 60_000,
              hookTimeout: 5 * 60_000,
            },
          }]
        : []),
    ],
  },
});
