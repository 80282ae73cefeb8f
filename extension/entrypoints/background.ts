import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { rejectAll } from '../background/checkouts.ts';
import { onConfirmWindowClosed, showBadge } from '../background/pending.ts';
import { route } from '../background/router.ts';
import { read, update } from '../shared/state.ts';

export default defineBackground(() => {
  // Listeners are added synchronously on every start, so a restarted worker hears what woke it.
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
  onConfirmWindowClosed(rejectAll);
  // A tab handed to an agent stays handed across its navigations: each new page is told to watch.
  browser.tabs.onUpdated.addListener(async (tabId, change) => {
    if (change.status !== 'loading' && change.status !== 'complete') return;
    if ((await read('handedTabs'))[tabId] !== undefined) await browser.tabs.sendMessage(tabId, { type: 'tab.watch' }).catch(() => undefined);
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    void update('handedTabs', (tabs) => Object.fromEntries(Object.entries(tabs).filter(([id]) => Number(id) !== tabId)));
  });
  browser.runtime.onInstalled.addListener(async ({ reason }) => {
    if (reason === 'install') await browser.runtime.openOptionsPage();
  });
  void showBadge();
});
