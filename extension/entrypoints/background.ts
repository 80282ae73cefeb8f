import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { rejectAll } from '../background/checkouts.ts';
import { onConfirmWindowClosed, showBadge } from '../background/pending.ts';
import { route } from '../background/router.ts';
import { update } from '../shared/state.ts';

export default defineBackground(() => {
  // Listeners are added synchronously on every start, so a restarted worker hears what woke it.
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
  onConfirmWindowClosed(rejectAll);
  browser.tabs.onRemoved.addListener((tabId) => {
    void update('handedTabs', (tabs) => Object.fromEntries(Object.entries(tabs).filter(([id]) => Number(id) !== tabId)));
  });
  browser.runtime.onInstalled.addListener(async ({ reason }) => {
    if (reason === 'install') await browser.runtime.openOptionsPage();
  });
  void showBadge();
});
