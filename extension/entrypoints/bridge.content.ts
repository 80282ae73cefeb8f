import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { Bridge, requestWatching } from '../content/bridge.ts';
import { watchForPaymentQr } from '../content/qr-scan.ts';
import type { Reply } from '../shared/messages.ts';

/**
 * The isolated-world content script: the only part of the extension a page
 * can talk to, and it only ever passes on validated requests to pay.
 */
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  main(ctx) {
    let watching = false;
    const bridge = new Bridge(ctx.signal, () => watch());
    bridge.start();

    const watch = () => {
      if (watching) return;
      watching = true;
      requestWatching();
      // Scan-to-pay codes are only looked for where an agent is paying, so other pages cost nothing.
      watchForPaymentQr((img) => void bridge.beginQr(crypto.randomUUID(), img.currentSrc || img.src), ctx.signal);
    };
    if (navigator.webdriver) watch();
    void (browser.runtime.sendMessage({ type: 'tab.watch?' }) as Promise<Reply<{ watch: boolean }>>)
      .then((reply) => reply.ok && reply.value.watch && watch())
      .catch(() => undefined);
    const onMessage = (message: unknown) => {
      if ((message as { type?: string })?.type === 'tab.watch') watch();
      return undefined;
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(onMessage));
  },
});
