import { browser } from 'wxt/browser';
import { type PendingCheckout, read, update, write } from '../shared/state.ts';

/**
 * The queue of checkouts waiting for the user, and the one window that shows
 * them. Both live in storage, so a stopped service worker loses neither.
 */
export async function enqueue(checkout: PendingCheckout): Promise<void> {
  await update('pending', (list) => [...list.filter((p) => p.intentId !== checkout.intentId), checkout]);
  await showBadge();
  await openConfirmWindow();
}

export async function dequeue(intentId: string): Promise<PendingCheckout | undefined> {
  let removed: PendingCheckout | undefined;
  await update('pending', (list) => {
    removed = list.find((p) => p.intentId === intentId);
    return list.filter((p) => p.intentId !== intentId);
  });
  await showBadge();
  return removed;
}

export async function showBadge(): Promise<void> {
  const count = (await read('pending')).length;
  const action = browser.action ?? browser.browserAction;
  await action.setBadgeText({ text: count ? String(count) : '' });
  await action.setBadgeBackgroundColor({ color: '#b3261e' });
}

/** Opens the confirmation window, or brings it forward when it is already open. */
export async function openConfirmWindow(): Promise<void> {
  const existing = await read('confirmWindowId');
  if (existing !== null) {
    const found = await browser.windows.get(existing).catch(() => null);
    if (found) {
      await browser.windows.update(existing, { focused: true, drawAttention: true });
      return;
    }
  }
  const created = await browser.windows.create({
    url: browser.runtime.getURL('/confirm.html'),
    type: 'popup',
    width: 480,
    height: 720,
    focused: true,
  });
  await write('confirmWindowId', created?.id ?? null);
}

/** Calls `onClosed` with the checkouts still waiting when the user closes the confirmation window. */
export function onConfirmWindowClosed(onClosed: (waiting: PendingCheckout[]) => Promise<void>): void {
  browser.windows.onRemoved.addListener(async (windowId) => {
    if (windowId !== (await read('confirmWindowId'))) return;
    await write('confirmWindowId', null);
    const waiting = await read('pending');
    if (waiting.length) await onClosed(waiting);
  });
}
