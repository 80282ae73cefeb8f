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

/**
 * Fills the token's card into the card fields of every frame of the tab whose
 * origin is one of `origins` (the frame the card was held in, the top page):
 * a provider's hosted fields are one frame per field. Answers once all frames did.
 */
export async function fillFrames(tabId: number, card: { number: string; expMonth: number; expYear: number; cvc: string }, origins: string[]): Promise<void> {
  const bridge = browser.scripting
    ? browser.scripting.executeScript({ target: { tabId, allFrames: true }, files: ['/bridge-full.js'] })
    : browser.tabs.executeScript(tabId, { file: '/bridge-full.js', allFrames: true });
  await bridge.catch(() => undefined);
  const fill = browser.scripting
    ? browser.scripting.executeScript({
        target: { tabId, allFrames: true },
        func: (c: typeof card, o: string[]) => (globalThis as { __agentpayBridge?: { full?: { fill(c: typeof card, o: string[]): string[] } } }).__agentpayBridge?.full?.fill(c, o) ?? [],
        args: [card, origins],
      })
    : browser.tabs.executeScript(tabId, { code: `globalThis.__agentpayBridge?.full?.fill(${JSON.stringify(card)}, ${JSON.stringify(origins)}) ?? []`, allFrames: true });
  // A frame that went away meanwhile is no reason not to pay: the held request carries the card itself.
  await fill.catch(() => undefined);
}
