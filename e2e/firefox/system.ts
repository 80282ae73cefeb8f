import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { type DemoShop, startDemoShop } from '../../relay/src/demo/shop.ts';
import { type Relay, startRelay } from '../../relay/src/relay.ts';
import { PAIRING_CODE } from '../system.ts';
import { button, byLabel, type ExtensionTab } from './extension-tab.ts';
import { type FirefoxWithExtension, launchFirefoxWithExtension } from './firefox.ts';

/** The whole system on its embedded defaults (relay, demo shop) and stock Firefox with the extension, paired. */
export interface FirefoxSystem {
  relay: Relay;
  shop: DemoShop;
  firefox: FirefoxWithExtension;
  close(): Promise<void>;
}

/**
 * Starts a relay and the demo shop, launches Firefox with the built extension
 * and pairs it on the options page as a user does. No passkey: Firefox's
 * WebDriver BiDi has no virtual authenticator, so step-up is not tested here.
 */
export async function startFirefoxSystem(): Promise<FirefoxSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentpay-e2e-firefox-'));
  const relay = await startRelay({ httpPort: 0, mqttPort: 0, mqttWsPort: 0, dataDir, logLevel: 'silent', pairingCode: PAIRING_CODE });
  const shop = await startDemoShop({ relayUrl: relay.httpUrl, port: 0, dataDir });
  const firefox = await launchFirefoxWithExtension();
  await pair(firefox, relay.httpUrl);
  return {
    relay, shop, firefox,
    async close() {
      await firefox.close();
      await shop.close();
      await relay.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The options page the extension opened when it was installed (or a new one), filled in and submitted. */
async function pair(firefox: FirefoxWithExtension, relayUrl: string): Promise<void> {
  const options = await firefox.extensionPage('options.html', 5_000).catch(() => firefox.openExtensionPage('options.html'));
  await options.fill(byLabel('Relay URL'), relayUrl);
  await options.fill(byLabel('Pairing code'), PAIRING_CODE);
  await options.fill(byLabel('Wallet name'), 'E2E Firefox');
  await options.click(button('Pair'));
  await options.waitFor('the "Paired" heading', () => {
    const alert = document.querySelector('[role="alert"]')?.textContent;
    if (alert) throw new Error(alert);
    return Array.from(document.querySelectorAll('h2')).some((h) => h.textContent === 'Paired');
  }, []);
  await options.close();
}

/** The browser agent's part: pick tea, review, place the order; answers the order's id. */
export async function agentPlacesOrder(page: Page, shop: DemoShop, quantities: Record<string, number> = { longjing: 1 }): Promise<string> {
  await page.goto(shop.url);
  for (const [productId, quantity] of Object.entries(quantities)) {
    await page.locator(`input[name="${productId}"]`).fill(String(quantity));
  }
  await Promise.all([page.waitForNavigation(), page.locator('button::-p-text(Review order)').click()]);
  await Promise.all([page.waitForNavigation(), page.locator('button::-p-text(Place order)').click()]);
  const orderId = new URL(page.url()).pathname.split('/').pop();
  if (!orderId?.startsWith('ord_')) throw new Error(`placing the order led to ${page.url()}, not an order page`);
  return orderId;
}

/**
 * The agent submits a card form with a card it made up. `where` is the page
 * or the frame holding the fields (hosted fields live in frames of their own).
 */
export async function agentSubmitsCardForm(where: Page | Frame, fields = { name: '#card-name', number: '#card-number', expiry: '#card-exp', csc: '#card-csc', pay: '#pay-card' }): Promise<void> {
  await where.locator(fields.name).fill('Agent Smith');
  await where.locator(fields.number).fill('4111111111111111');
  await where.locator(fields.expiry).fill('12/30');
  await where.locator(fields.csc).fill('123');
  await where.locator(fields.pay).click();
}

/** The confirmation window once it shows a payment of `amount` (e.g. "70.00 CNY"). */
export async function confirmationFor(system: FirefoxSystem, amount: string, timeout = 20_000): Promise<ExtensionTab> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const tab of await system.firefox.extensionPages('confirm.html')) {
      const shown = await tab.evaluate((text) => Array.from(document.querySelectorAll('article.request h2')).some((h) => h.textContent === text), amount).catch(() => false);
      if (shown) return tab;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no confirmation window showed a payment of ${amount}`);
}

/** What the confirmation window shows about the payment of `amount`: its fields by data-field name. */
export async function shownInWindow(system: FirefoxSystem, amount: string): Promise<Record<string, string>> {
  const tab = await confirmationFor(system, amount);
  return tab.evaluate((text) => {
    const article = Array.from(document.querySelectorAll('article.request')).find((a) => a.querySelector('h2')?.textContent === text);
    return Object.fromEntries(Array.from(article?.querySelectorAll('[data-field]') ?? []).map((el) => [el.getAttribute('data-field'), el.textContent ?? '']));
  }, amount);
}

/** Clicks Approve or Reject on the payment of `amount` in the confirmation window, once it is armed. */
export async function answerInWindow(system: FirefoxSystem, amount: string, decision: 'Approve' | 'Reject'): Promise<void> {
  const tab = await confirmationFor(system, amount);
  await tab.click(button(decision, { selector: 'article.request', containing: amount }));
}

/** The text of an alert on the page (the shop's own, or the extension's notice in its shadow root), once one contains `text`. */
export async function alertContaining(page: Page, text: string): Promise<string> {
  const handle = await page.waitForFunction(
    (wanted) => {
      const roots = [document, ...Array.from(document.querySelectorAll('agentpay-notice')).flatMap((host) => (host.shadowRoot ? [host.shadowRoot] : []))];
      return roots.flatMap((root) => Array.from(root.querySelectorAll('[role="alert"]'))).map((el) => el.textContent ?? '').find((t) => t.includes(wanted));
    },
    { timeout: 15_000 },
    text,
  );
  return String(await handle.jsonValue());
}
