import { afterDocumentOpen } from '../shared/document-reopened.ts';
import { PAGE_CHANNEL, WALLET_CHANNEL, WATCH_EVENT, WATCHING_EVENT } from '../shared/page-channel.ts';
import type { LeftToBrowser, PagePayment, PageRequest, WalletReply } from '../shared/page-messages.ts';
import { randomId } from '../shared/random-id.ts';

/**
 * The main world's line to the wallet: requests go to the isolated content
 * script by `postMessage` on this window, answers come back the same way.
 * A page could forge an answer, but only to fool itself: tokens are filled
 * and approvals made by the extension, never on the strength of a message.
 * Nothing listens until the page first asks: a listener is one more thing a
 * page without a checkout would pay for.
 */
const waiting = new Map<string, { resolve: (payment: PagePayment | null) => void; reject: (error: WalletError) => void }>();
const watchers: (() => void)[] = [];

export class WalletError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AgentPayError';
  }
}

/** Asks the wallet to pay; settles when the user (or their mandate) has decided. */
export function askWallet(request: PageRequest): Promise<PagePayment | null> {
  listenForReplies();
  const id = randomId();
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    window.postMessage({ channel: PAGE_CHANNEL, id, request }, location.origin === 'null' ? '*' : location.origin);
  });
}

/** Tells the wallet something without waiting for an answer. */
export function tellWallet(request: PageRequest | LeftToBrowser): void {
  window.postMessage({ channel: PAGE_CHANNEL, id: randomId(), request }, location.origin === 'null' ? '*' : location.origin);
}

/**
 * Calls `listener` when the wallet asks this page to hold checkouts (a tab handed to an agent, the
 * user's opt-in): the isolated bridge dispatches WATCH_EVENT on the window, heard here at once.
 */
export function onWatchRequested(listener: () => void): void {
  watchers.push(listener);
  if (watchers.length === 1) window.addEventListener(WATCH_EVENT, onWatch);
}

function onWatch(): void {
  for (const listener of watchers) listener();
}

function onMessage(event: MessageEvent): void {
  if (event.source !== window) return;
  const reply = event.data as WalletReply | undefined;
  if (!reply || reply.channel !== WALLET_CHANNEL) return;
  const pending = waiting.get(reply.id);
  if (!pending) return;
  waiting.delete(reply.id);
  if (reply.ok) pending.resolve(reply.payment);
  else pending.reject(new WalletError(reply.error.code, reply.error.message));
}

let listening = false;
function listenForReplies(): void {
  if (listening) return;
  listening = true;
  window.addEventListener('message', onMessage);
}

/**
 * A document rewritten with document.open() has lost the listeners: they are added again.
 * Called once the page holds; the observer would cost a page without a checkout for nothing.
 */
export function keepChannelOpen(): void {
  listenForReplies();
  afterDocumentOpen(() => {
    window.addEventListener('message', onMessage);
    window.addEventListener(WATCH_EVENT, onWatch);
  });
}

/**
 * Tells this frame's isolated bridge that the page is watched (it looks for scan-to-pay codes and
 * prepares). The bridge runs before this world's first statement, so it is always listening.
 */
export function announceWatching(): void {
  window.dispatchEvent(new Event(WATCHING_EVENT));
}
