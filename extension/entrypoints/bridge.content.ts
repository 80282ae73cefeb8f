import { defineContentScript } from 'wxt/utils/define-content-script';
import { startLoader } from '../content/loader.ts';

/**
 * The isolated-world content script: the only part of the extension a page
 * can talk to. It stays small; the full bridge (entrypoints/bridge-full.ts)
 * is injected when the page first talks to the wallet.
 */
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  main(ctx) {
    startLoader(ctx.signal);
  },
});
