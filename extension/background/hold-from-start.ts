import { browser } from 'wxt/browser';
import { read } from '../shared/state.ts';

const SCRIPT_ID = 'hold-from-start';

/**
 * Whether every page this browser loads gets the interceptor's holds from its
 * first statement (page/watch.ts): while the user has a tab handed to an agent
 * or holds their own checkouts. A browser under automation needs no script for
 * it (the interceptor sees `navigator.webdriver`), and a person's own browser
 * is spared the holds' cost on every page.
 */
async function shouldHoldFromStart(): Promise<boolean> {
  return Object.keys(await read('handedTabs')).length > 0 || (await read('settings')).holdHumanCheckouts;
}

let syncing: Promise<void> = Promise.resolve();

/** Registers or removes the document_start script to match `shouldHoldFromStart`; calls are taken in turn. */
export function syncHoldFromStart(): Promise<void> {
  syncing = syncing.then(apply, apply);
  return syncing;
}

async function apply(): Promise<void> {
  // Firefox installs the holds in every page anyway (page/watch.ts).
  if (import.meta.env.FIREFOX || !browser.scripting?.registerContentScripts) return;
  const wanted = await shouldHoldFromStart();
  const registered = (await browser.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] })).length > 0;
  if (wanted && !registered) {
    await browser.scripting.registerContentScripts([
      { id: SCRIPT_ID, matches: ['<all_urls>'], js: ['/hold-from-start.js'], runAt: 'document_start', world: 'MAIN', allFrames: true, matchOriginAsFallback: true, persistAcrossSessions: true },
    ]);
  } else if (!wanted && registered) {
    await browser.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  }
}
