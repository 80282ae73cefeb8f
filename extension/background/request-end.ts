import { browser } from 'wxt/browser';
import { agentClient, walletClient } from '../shared/relay.ts';
import { type PendingCheckout, read, update } from '../shared/state.ts';
import { settle } from './checkouts.ts';
import { EXPIRED_SENTENCE, recordOutcome } from './outcomes.ts';
import { dequeue, EXPIRY_ALARM_PREFIX, showBadge } from './pending.ts';
import { reportProgress } from './progress.ts';

/** What the window, the page and the relay are told when the checkout's tab closed. */
export const TAB_CLOSED_REASON = "the checkout's tab was closed; nothing was paid";
const BROWSER_RESTARTED_REASON = "the browser restarted and the checkout's tab is gone; nothing was paid";

/** Ends a held payment whose time ran out: it leaves the queue, the page and the window are told. */
export async function expireRequest(intentId: string, now = Date.now()): Promise<void> {
  const checkout = (await read('pending')).find((p) => p.intentId === intentId);
  if (!checkout || Date.parse(checkout.confirmation.expiresAt) > now) return; // answered, or not yet due
  if (!(await dequeue(intentId))) return; // another path ended it meanwhile
  await settle(checkout, { ok: false, error: { code: 'expired', message: 'nobody answered in time, so this payment expired; nothing was paid' } });
  await recordOutcome({ ...outcomeBase(checkout), state: 'expired', sentence: EXPIRED_SENTENCE });
  void agentClient(checkout.actorId).then((agent) => reportProgress(agent, checkout.checkoutId, 'failed', 'nobody answered in time; nothing was paid', intentId), () => undefined);
}

/** The expiry alarm of a held payment (set when it was queued; alarms also wake a stopped worker). */
export async function onExpiryAlarm(name: string): Promise<void> {
  if (name.startsWith(EXPIRY_ALARM_PREFIX)) await expireRequest(name.slice(EXPIRY_ALARM_PREFIX.length));
}

/**
 * The tab a checkout was held in is gone: nobody can use a token for it, so the relay is told to
 * stop waiting (or to revoke a token already issued), and the request leaves the window with that
 * sentence. Amounts the user was asked for in that tab are dropped the same way.
 */
export async function checkoutTabGone(tabId: number, reason = TAB_CLOSED_REASON): Promise<void> {
  const gone = (await read('pending')).filter((p) => p.tabId === tabId);
  for (const checkout of gone) await cancelRequest(checkout, reason);
  let dropped: { checkoutId: string; merchant: { name: string } }[] = [];
  await update('amountRequests', (list) => {
    dropped = list.filter((r) => r.tabId === tabId);
    return list.filter((r) => r.tabId !== tabId);
  });
  for (const request of dropped) {
    await recordOutcome({ intentId: null, checkoutId: request.checkoutId, merchantName: request.merchant.name, amount: null, state: 'cancelled', sentence: capitalised(reason) });
  }
  if (dropped.length) await showBadge();
}

async function cancelRequest(checkout: PendingCheckout, reason: string): Promise<void> {
  if (!(await dequeue(checkout.intentId))) return;
  // Best effort: if the relay cannot be reached, the held intent still expires there on its own.
  await walletClient()
    .then((wallet) => wallet.post(`/v1/wallet/intents/${encodeURIComponent(checkout.intentId)}/cancel`, { reason }, { idempotencyKey: `cancel-${checkout.intentId}` }))
    .catch(() => undefined);
  await recordOutcome({ ...outcomeBase(checkout), state: 'cancelled', sentence: capitalised(reason) });
  void agentClient(checkout.actorId).then((agent) => reportProgress(agent, checkout.checkoutId, 'failed', reason, checkout.intentId), () => undefined);
}

/**
 * Clears what no longer waits for anyone: requests whose time ran out, and requests whose tab is
 * gone. Run each time the worker starts; after a browser restart no tab of before survives (tab ids
 * start again), so every request from before the restart is ended.
 */
export async function sweepStaleRequests(options: { browserStarted?: boolean } = {}): Promise<void> {
  const now = Date.now();
  for (const checkout of await read('pending')) {
    if (Date.parse(checkout.confirmation.expiresAt) <= now) await expireRequest(checkout.intentId, now);
    // An agent outside this browser has no tab here: it waits until answered or expired.
    else if (checkout.shape === 'remote-agent') continue;
    else if (options.browserStarted) await cancelRequest(checkout, BROWSER_RESTARTED_REASON);
    else if (!(await tabExists(checkout.tabId))) await cancelRequest(checkout, TAB_CLOSED_REASON);
  }
  for (const request of await read('amountRequests')) {
    if (options.browserStarted || !(await tabExists(request.tabId))) await checkoutTabGone(request.tabId, options.browserStarted ? BROWSER_RESTARTED_REASON : TAB_CLOSED_REASON);
  }
  await showBadge();
}

async function tabExists(tabId: number): Promise<boolean> {
  return browser.tabs.get(tabId).then((tab) => !!tab, () => false);
}

function outcomeBase(checkout: PendingCheckout) {
  return { intentId: checkout.intentId, checkoutId: checkout.checkoutId, merchantName: checkout.confirmation.merchant.name, amount: checkout.confirmation.claims.amount };
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
