import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { startLoader } from '../content/loader.ts';

/**
 * The isolated-world content script, the only part of the extension a page
 * can talk to. It is declared in wxt.config.ts's manifest rather than as a
 * WXT content script: it runs in every page, and WXT's content-script runtime
 * (its context, location watcher and restart messaging) would double its size.
 * The full bridge (bridge-full.ts) is injected when the page first talks to the wallet.
 */
export default defineUnlistedScript({
  globalName: false,
  main() {
    startLoader();
  },
});
