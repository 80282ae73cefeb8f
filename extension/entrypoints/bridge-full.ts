import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { Bridge } from '../content/bridge.ts';

/**
 * The full bridge, injected by the background into a page's isolated world
 * when the page first asks the wallet for something (content/loader.ts).
 */
export default defineUnlistedScript(() => {
  const handle = globalThis.__agentpayBridge;
  if (!handle || handle.full) return;
  const bridge = new Bridge(new AbortController().signal, () => handle.watch());
  bridge.start();
  handle.full = bridge;
});
