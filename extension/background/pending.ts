import { browser } from 'wxt/browser';
import { liveRequests } from '../shared/waiting.ts';
import { type PendingCheckout, read, update, write } from '../shared/state.ts';

/** Alarm names that end a held payment when its time runs out: `expire:<intentId>`. */
export const EXPIRY_ALARM_PREFIX = 'expire:';

/**
 * The queue of checkouts waiting for the user, and the one window that shows
 * them. Both live in storage, so a stopped service worker loses neither; each
 * held payment has an alarm at its expiry, which wakes a stopped worker too.
 */
export async function enqueue(checkout: PendingCheckout): Promise<void> {
  await update('pending', (list) => [...list.filter((p) => p.intentId !== checkout.intentId), checkout]);
  // The window first: the alarm and the badge can follow it by a few milliseconds.
  await Promise.all([
    openConfirmWindow(),
    browser.alarms.create(`${EXPIRY_ALARM_PREFIX}${checkout.intentId}`, { when: Date.parse(checkout.confirmation.expiresAt) }),
    showBadge(),
  ]);
}

export async function dequeue(intentId: string): Promise<PendingCheckout | undefined> {
  let removed: PendingCheckout | undefined;
  await update('pending', (list) => {
    removed = list.find((p) => p.intentId === intentId);
    return list.filter((p) => p.intentId !== intentId);
  });
  await browser.alarms.clear(`${EXPIRY_ALARM_PREFIX}${intentId}`).catch(() => undefined);
  await showBadge();
  return removed;
}

/** The toolbar badge: how many requests still await the user, counted as the popup and window count them. */
export async function showBadge(): Promise<void> {
  const { count } = liveRequests(await read('pending'), await read('amountRequests'));
  const action = browser.action ?? browser.browserAction;
  await action.setBadgeText({ text: count ? String(count) : '' });
  await action.setBadgeBackgroundColor({ color: '#b3261e' });
}

let opening: Promise<void> | undefined;

/** Opens the confirmation window, or brings it forward when it is already open; one at a time. */
export function openConfirmWindow(): Promise<void> {
  opening ??= openOrFocus().finally(() => (opening = undefined));
  return opening;
}

async function openOrFocus(): Promise<void> {
  const existing = await read('confirmWindowId');
  if (existing !== null) {
    // Window ids start again after a browser restart: make sure this one is still ours.
    const found = await browser.windows.get(existing, { populate: true }).catch(() => null);
    if (found?.tabs?.some((tab) => tab.url?.startsWith(browser.runtime.getURL('/confirm.html')))) {
      await browser.windows.update(existing, { focused: true, drawAttention: true });
      return;
    }
  }
  const created = await browser.windows.create({
    url: browser.runtime.getURL('/confirm.html'),
    type: 'popup',
    width: 480,
    height: 760,
    focused: true,
  });
  await write('confirmWindowId', created?.id ?? null);
}

/** Windows that said they are closing themselves (their queue was empty), by id. */
const closingThemselves = new Set<number>();

/** The confirmation window, about to close itself because nothing waits: remember it was not the user. */
export async function confirmWindowClosing(windowId: number | undefined): Promise<void> {
  if (windowId !== undefined) closingThemselves.add(windowId);
}

/**
 * Calls `onClosed` with the checkouts still waiting when the user closes the
 * confirmation window. When the window closed itself and a checkout arrived
 * meanwhile, that checkout gets a new window instead: only the user rejects.
 * Either way the outcomes it showed have been seen and are let go.
 */
export function onConfirmWindowClosed(onClosed: (waiting: PendingCheckout[]) => Promise<void>): void {
  browser.windows.onRemoved.addListener(async (windowId) => {
    if (windowId !== (await read('confirmWindowId'))) return;
    await write('confirmWindowId', null);
    const waiting = await read('pending');
    const asking = (await read('amountRequests')).length > 0;
    const closedItself = closingThemselves.delete(windowId);
    if (!closedItself && (waiting.length || asking)) await onClosed(waiting);
    await write('outcomes', []);
    if (closedItself && (waiting.length || asking)) await openConfirmWindow();
  });
}
