import { afterDocumentOpen } from '../shared/document-reopened.ts';
import { HOLD_FROM_START_EVENT, PAGE_CHANNEL, PORT_ASKED_EVENT, PORT_EVENT, WALLET_CHANNEL, WATCH_EVENT, WATCHING_EVENT } from '../shared/page-channel.ts';
import { watchForPaymentQr } from './qr-scan.ts';
import { randomId } from '../shared/random-id.ts';

/**
 * The part of the bridge that runs in every page, kept to a few lines of
 * work: it notices whether the page should be watched and whether the page
 * talks to the wallet at all. Only then does it have the background inject
 * the full bridge (validation, checkout reading, card filling), so a page
 * without a checkout pays almost nothing for the extension.
 */
export interface FullBridge {
  receive(data: unknown): void;
  beginQr(id: string, imageUrl: string): Promise<void>;
  /** The token's card into this frame's card fields, if this frame is one of `origins`; the roles filled. */
  fill(card: { number: string; expMonth: number; expYear: number; cvc: string }, origins: string[]): string[];
}

/** Shared with the full bridge: both run in this extension's isolated world of the page. */
export interface BridgeHandle {
  /** Holds this page's checkouts; `fromMainWorld` when the main world said so itself (it need not be told). */
  watch(fromMainWorld?: boolean): void;
  full?: FullBridge;
}

declare global {
  // eslint-disable-next-line no-var
  var __agentpayBridge: BridgeHandle | undefined;
}

/**
 * The extension API without the polyfill: the loader runs in every page, so it
 * skips webextension-polyfill's 10 kB. MV3 Chrome's `chrome.*` and Firefox's
 * `browser.*` both return promises for the few calls made here.
 */
interface MiniExtensionApi {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
}
const api = () => ((globalThis as { browser?: MiniExtensionApi }).browser ?? (globalThis as { chrome?: MiniExtensionApi }).chrome)!;

export function startLoader(signal?: AbortSignal): void {
  let loading: Promise<FullBridge | undefined> | undefined;
  const load = () =>
    (loading ??= (api().runtime.sendMessage({ type: 'bridge.load' }) as Promise<{ ok: boolean }>)
      .then(() => handle.full)
      .catch(() => undefined));

  let watching = false;
  let guarded = false;
  /** A document rewritten with document.open() (a widget writing its form into a blank frame) has lost the listener. */
  const keepListening = () => {
    if (guarded) return;
    guarded = true;
    afterDocumentOpen(() => !signal?.aborted && window.addEventListener('message', onMessage, { signal }));
  };
  const handle: BridgeHandle = (globalThis.__agentpayBridge = {
    watch(fromMainWorld = false) {
      // Said again each time the background asks: a main world rewritten by document.open() may have missed it.
      if (!fromMainWorld) window.dispatchEvent(new Event(WATCH_EVENT));
      if (watching) return;
      watching = true;
      keepListening();
      // This page's frames (a provider's card fields, loaded now or on the payment step) watch too.
      const tellFrame = (frame: Window | null) => frame?.postMessage({ channel: WALLET_CHANNEL, id: 'watch-frame' }, '*');
      for (let i = 0; i < window.frames.length; i++) tellFrame(window.frames[i]!);
      document.addEventListener('load', (event) => event.target instanceof HTMLIFrameElement && tellFrame(event.target.contentWindow), { capture: true, signal });
      // An agent fills a form before it pays: the full bridge is made ready meanwhile, not after the click.
      const prepare = (event: FocusEvent) => {
        if (!(event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement)) return;
        document.removeEventListener('focusin', prepare, true);
        void load();
      };
      document.addEventListener('focusin', prepare, { capture: true, signal });
      // Scan-to-pay codes are only looked for where an agent is paying.
      watchForPaymentQr(async (img) => (await load())?.beginQr(randomId(), img.currentSrc || img.src), signal);
    },
  });

  const onMessage = (event: MessageEvent) => {
    // A watched parent's word can only make this frame hold more, never less: it is taken as it comes.
    const said = event.data as { channel?: unknown; id?: unknown } | null;
    if (event.source === window.parent && event.source !== window && said?.channel === WALLET_CHANNEL && said.id === 'watch-frame') return handle.watch();
    if (event.source !== window || said?.channel !== PAGE_CHANNEL) return;
    const data: unknown = event.data;
    if (handle.full) handle.full.receive(data);
    else void load().then((full) => full?.receive(data));
  };
  window.addEventListener('message', onMessage, { signal });
  window.addEventListener(WATCHING_EVENT, () => handle.watch(true), { signal });
  // The page holds from its start because an agent may be at work in this browser: the background
  // says at once whether it is this tab (handed, or the user's opt-in), not only once it has loaded.
  let heldFromStart = false;
  const askWhetherWatched = () =>
    api().runtime.sendMessage({ type: 'tab.watch?' }) as Promise<{ ok: boolean; value?: { watch?: boolean } }>;
  window.addEventListener(
    HOLD_FROM_START_EVENT,
    () => {
      heldFromStart = true;
      keepListening();
      // The main world holds whatever carries a card until it hears the answer, over a port of its own (page/watch.ts).
      const { port1: answer, port2 } = new MessageChannel();
      const handOver = () => {
        window.removeEventListener(PORT_ASKED_EVENT, handOver);
        window.dispatchEvent(new MessageEvent(PORT_EVENT, { ports: [port2] }));
      };
      window.addEventListener(PORT_ASKED_EVENT, handOver, { signal });
      void askWhetherWatched().then(
        (reply) => {
          // Only a clear "not this tab" lets the page's cards go; a failed answer keeps them held.
          const watch = reply?.ok !== true || reply.value?.watch !== false;
          answer.postMessage(watch);
          if (watch) handle.watch();
        },
        () => answer.postMessage(true),
      );
    },
    { once: true, signal },
  );
  // A page kept in the back/forward cache from before its tab was handed to an agent comes back without
  // the holds it would now get from its start: it loads again, so nothing it prepared can get around them.
  window.addEventListener(
    'pageshow',
    (event) => {
      if (!event.persisted || heldFromStart) return;
      void askWhetherWatched().then((reply) => reply.value?.watch === true && location.reload(), () => undefined);
    },
    { signal },
  );

  // Nothing else runs in a page that is not watched: each DOM interface first touched in this
  // world costs every page a little. Automation is seen by the main world, which says 'watching';
  // a tab handed to an agent, or the user's opt-in for their own checkouts, is told by the
  // background, which calls handle.watch() in this world; frames loaded later by their watched parent.
}
