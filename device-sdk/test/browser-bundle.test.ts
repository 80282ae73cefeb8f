import { describe, expect, it } from 'vitest';
import { bundleSize } from '../../bench/device/bundle.ts';

// The core must run in a browser-like runtime: a browser bundle does not resolve Node's modules.
describe('the SDK in a browser-like runtime', () => {
  it.each([['the core', ['index.ts']], ['the core with the decoder', ['index.ts', 'decoder/index.ts']]])('bundles %s for the browser without any Node module', async (_name, entries) => {
    const size = await bundleSize(entries);
    expect(size.gz).toBeGreaterThan(10_000);
  });

  it('would notice a Node-only import', async () => {
    await expect(bundleSize(['decoder/node.ts'])).rejects.toThrow(/node:fs|node:module/);
  });
});
