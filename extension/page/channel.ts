import { afterDocumentOpen } from '../shared/document-reopened.ts';
import { PAGE_CHANNEL, WALLET_CHANNEL } from '../shared/page-channel.ts';
import type { LeftToBrowser, PagePayment, PageRequest, WalletReply } from '../shared/page-messages.ts';
import { randomId } from '../shared/random-id.ts';

/**
 * The main world's line to the wallet: requests go to the isolated content
 * script by `postMessage` on this window, answers come back the same way.
 * A page could forge an answer, but only to fool itself: tokens are filled
 * and approvals made by the extension, never on the strength of a message.
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

/** Calls `listener` when the wallet asks this page to hold checkouts (e.g. a tab handed to an agent). */
export function onWatchRequested(listener: () => void): void {
  watchers.push(listener);
}

function onMessage(event: MessageEvent): void {
  if (event.source !== window) return;
  const reply = event.data as (WalletReply & { watch?: true }) | undefined;
  if (!reply || reply.channel !== WALLET_CHANNEL) return;
  if (reply.id === 'watch' && reply.watch) {
    for (const listener of watchers) listener();
    return;
  }
  const pending = waiting.get(reply.id);
  if (!pending) return;
  waiting.delete(reply.id);
  if (reply.ok) pending.resolve(reply.payment);
  else pending.reject(new WalletError(reply.error.code, reply.error.message));
}

window.addEventListener('message', onMessage);
// A document rewritten with document.open() has lost it: add it again.
afterDocumentOpen(() => window.addEventListener('message', onMessage));
