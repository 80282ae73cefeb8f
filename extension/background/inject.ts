import { browser } from 'wxt/browser';

/** Injects the full bridge into one frame's isolated world, beside the content script that asked. */
export async function injectFullBridge(tabId: number, frameId: number): Promise<null> {
  if (browser.scripting) {
    await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: ['/bridge-full.js'] });
  } else {
    await browser.tabs.executeScript(tabId, { file: '/bridge-full.js', frameId });
  }
  return null;
}
