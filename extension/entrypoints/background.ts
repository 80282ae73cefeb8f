import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { refuseAllAmounts } from '../background/amounts.ts';
import { rejectAll } from '../background/checkouts.ts';
import { onConfirmWindowClosed } from '../background/pending.ts';
import { watchRemoteHolds } from '../background/remote-holds.ts';
import { checkoutTabGone, onExpiryAlarm, sweepStaleRequests } from '../background/request-end.ts';
import { route } from '../background/router.ts';
import { syncHoldFromStart } from '../background/hold-from-start.ts';
import { startWatching } from '../background/inject.ts';
import { read, update, write } from '../shared/state.ts';

export default defineBackground(() => {
  // Listeners are added synchronously on every start, so a restarted worker hears what woke it.
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
  onConfirmWindowClosed(async (waiting) => {
    await refuseAllAmounts();
    await rejectAll(waiting);
  });
  // A tab handed to an agent stays handed across its navigations, and the user's opt-in covers
  // every tab: each new page is told to watch as it loads (and again once loaded, in case the
  // first call came before the loader).
  browser.tabs.onUpdated.addListener(async (tabId, change) => {
    if (change.status !== 'loading' && change.status !== 'complete') return;
    if ((await read('handedTabs'))[tabId] !== undefined || (await read('settings')).holdHumanCheckouts) await startWatching(tabId);
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    void update('handedTabs', (tabs) => Object.fromEntries(Object.entries(tabs).filter(([id]) => Number(id) !== tabId)));
    // A checkout whose tab is gone can never use a token: stop it at the relay, say so in the window.
    void checkoutTabGone(tabId);
  });
  // Each held payment has an alarm at its expiry; alarms wake a stopped worker too.
  browser.alarms.onAlarm.addListener((alarm) => void onExpiryAlarm(alarm.name));
  // After a browser restart no checkout tab of before is there (tab ids start again).
  browser.runtime.onStartup.addListener(() => {
    void sweepStaleRequests({ browserStarted: true });
    // Tab ids start again too: a tab handed before is gone, and its id may now be another tab's.
    void write('handedTabs', {});
  });
  browser.runtime.onInstalled.addListener(async ({ reason }) => {
    if (reason === 'install') await browser.runtime.openOptionsPage();
  });
  // Pages hold from their start while a tab is handed to an agent or the user holds their own checkouts.
  browser.storage.onChanged.addListener((changes) => {
    if ('handedTabs' in changes || 'settings' in changes) void syncHoldFromStart();
  });
  void syncHoldFromStart();
  // Every start of the worker: clear what expired or lost its tab while nobody was listening.
  void sweepStaleRequests();
  watchRemoteHolds();
});
