import { browser } from 'wxt/browser';

/**
 * Scripts the background runs in a page's isolated world, beside the loader
 * (content/loader.ts): the full bridge, and the call that starts watching.
 */
export async function injectFullBridge(tabId: number, frameId: number): Promise<null> {
  if (browser.scripting) {
    await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: ['/bridge-full.js'] });
  } else {
    await browser.tabs.executeScript(tabId, { file: '/bridge-full.js', frameId });
  }
  return null;
}

/** Has every frame of a tab hold its checkouts (a tab handed to an agent, or the user's opt-in). */
export async function startWatching(tabId: number): Promise<void> {
  const run = browser.scripting
    ? browser.scripting.executeScript({ target: { tabId, allFrames: true }, func: () => (globalThis as { __agentpayBridge?: { watch(): void } }).__agentpayBridge?.watch() })
    : browser.tabs.executeScript(tabId, { code: 'globalThis.__agentpayBridge?.watch()', allFrames: true });
  // Pages the extension may not script (the browser's own, the web store) simply are not watched.
  await run.catch(() => undefined);
}
