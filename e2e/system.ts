import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type DemoShop, startDemoShop } from '../relay/src/demo/shop.ts';
import type { RelayConfigInput } from '../relay/src/config.ts';
import { type Relay, startRelay } from '../relay/src/relay.ts';
import { addVirtualAuthenticator, type ExtensionBrowser, launchWithExtension, nextExtensionPage } from './browser.ts';

export const PAIRING_CODE = 'E2E-PAIRING';

/** The whole system on its embedded defaults: relay (PGlite, aedes), the demo shop, Chromium with the extension. */
export interface System {
  relay: Relay;
  shop: DemoShop;
  browser: ExtensionBrowser;
  /** The passkey the wallet registered, to copy into each page's virtual authenticator. */
  passkey: { credential: any } | null;
  close(): Promise<void>;
}

/** `now` is the relay's clock (default: the real one); a test may move it to lay down a history through the API. */
export async function startSystem(
  options: { stepUp?: { amount: string; currency: string }; automated?: boolean; now?: () => Date; timeZone?: string; relay?: Partial<RelayConfigInput> } = {},
): Promise<System> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentpay-e2e-data-'));
  const relay = await startRelay({ httpPort: 0, mqttPort: 0, mqttWsPort: 0, dataDir, logLevel: 'silent', pairingCode: PAIRING_CODE, ...options.relay }, { now: options.now });
  const shop = await startDemoShop({ relayUrl: relay.httpUrl, port: 0, dataDir });
  const browser = await launchWithExtension({ automated: options.automated, timeZone: options.timeZone });
  const passkey = await pair(browser, relay.httpUrl, options.stepUp);
  return {
    relay, shop, browser, passkey,
    async close() {
      await browser.close();
      await shop.close();
      // A test may have stopped the relay already to see the extension cope with it being down.
      await relay.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Pairs the extension the way a user does: the options page, the relay's URL and pairing code, optionally a passkey. */
async function pair(browser: ExtensionBrowser, relayUrl: string, stepUp?: { amount: string; currency: string }): Promise<{ credential: any } | null> {
  const page = await nextExtensionPage(browser, 'options.html').catch(() => browser.context.newPage());
  if (!page.url().includes('options.html')) await page.goto(browser.url('options.html'));
  const authenticator = await addVirtualAuthenticator(page);
  await page.getByLabel('Relay URL').fill(relayUrl);
  await page.getByLabel('Pairing code').fill(PAIRING_CODE);
  await page.getByLabel('Wallet name').fill('E2E browser');
  if (stepUp) {
    await page.getByLabel('Protect larger payments with a passkey').check();
    await page.getByLabel('Step-up amount').fill(stepUp.amount);
    await page.getByLabel('Step-up currency').fill(stepUp.currency);
  }
  await page.getByRole('button', { name: 'Pair' }).click();
  await page.getByRole('heading', { name: 'Paired' }).waitFor({ timeout: 15_000 }).catch(async (error: Error) => {
    const alert = await page.getByRole('alert').textContent().catch(() => null);
    throw new Error(`pairing failed${alert ? `: ${alert}` : ''} (${error.message})`);
  });
  const { credentials } = await authenticator.send('WebAuthn.getCredentials', { authenticatorId: authenticator.authenticatorId });
  await page.close();
  return stepUp ? { credential: credentials[0] } : null;
}

/** Gives `page` a virtual authenticator holding the wallet's passkey, as the user's device would. */
export async function lendPasskey(page: Page, passkey: { credential: any }): Promise<void> {
  const authenticator = await addVirtualAuthenticator(page);
  await authenticator.send('WebAuthn.addCredential', { authenticatorId: authenticator.authenticatorId, credential: passkey.credential });
}

/** The browser agent's part: pick tea, review, place the order; lands on the order page. */
export async function agentPlacesOrder(page: Page, shop: DemoShop, quantities: Record<string, number> = { longjing: 1 }): Promise<string> {
  await page.goto(shop.url);
  for (const [productId, quantity] of Object.entries(quantities)) {
    await page.locator(`input[name="${productId}"]`).fill(String(quantity));
  }
  await page.getByRole('button', { name: 'Review order' }).click();
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/ord_/);
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** The confirmation window showing the payment of `label` (e.g. "70.00 CNY"): the extension opens it, the test finds it as a page. */
export async function confirmationFor(system: System, amount: string): Promise<{ page: Page; request: ReturnType<Page['locator']> }> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const page of system.browser.context.pages()) {
      if (page.isClosed() || !page.url().startsWith(system.browser.url('confirm.html'))) continue;
      const request = page.locator('article', { has: page.getByRole('heading', { name: amount, exact: true }) });
      // The window shows one request at a time ("1 of N"): page through to it, as a person would.
      const pager = page.getByRole('navigation', { name: 'Waiting payments' });
      for (let step = 0; step < 20; step++) {
        if (await request.count().catch(() => 0)) return { page, request };
        if (!(await pager.getByRole('button', { name: 'Next' }).isEnabled({ timeout: 100 }).catch(() => false))) break;
        await pager.getByRole('button', { name: 'Next' }).click({ timeout: 1000 }).catch(() => undefined);
      }
      // At the last one: back to the first, in case the request arrives before the one shown.
      for (let step = 0; step < 20 && (await pager.getByRole('button', { name: 'Previous' }).isEnabled({ timeout: 100 }).catch(() => false)); step++) {
        await pager.getByRole('button', { name: 'Previous' }).click({ timeout: 1000 }).catch(() => undefined);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Say what the pages showed instead: the extension's notice tells why a checkout was not held.
  const notices = await Promise.all(
    system.browser.context.pages().map((page) =>
      page.evaluate(() => document.querySelector('agentpay-notice')?.shadowRoot?.querySelector('div')?.textContent ?? null).catch(() => null),
    ),
  );
  throw new Error(`no confirmation window showed a payment of ${amount}; notices on the open pages: ${JSON.stringify(notices.filter(Boolean))}`);
}

/** Clicks a button of a held payment in the confirmation window, as the user would. */
export async function answerInWindow(system: System, amount: string, button: 'Approve' | 'Reject'): Promise<void> {
  const { request } = await confirmationFor(system, amount);
  const target = request.getByRole('button', { name: button });
  await target.click({ timeout: 10_000 }); // Playwright waits until Approve is enabled (after its arming delay)
}

/** The agent submits the shop's card form with a card it made up (it has no real one, and must not need one). */
export async function agentSubmitsCardForm(page: Page): Promise<void> {
  await page.locator('#card-name').fill('Agent Smith');
  await page.locator('#card-number').fill('4111111111111111');
  await page.locator('#card-exp').fill('12/30');
  await page.locator('#card-csc').fill('123');
  await page.locator('#pay-card').click();
}

/** The toolbar badge's text, read from the extension's service worker. */
export async function badgeText(system: System): Promise<string> {
  const worker = system.browser.context.serviceWorkers()[0] ?? (await system.browser.context.waitForEvent('serviceworker'));
  return worker.evaluate(() => (globalThis as any).chrome.action.getBadgeText({}));
}

/**
 * Closes a tab without waiting on it forever: Chromium sometimes never
 * acknowledges closing a tab that has just navigated, and the context's own
 * close at the end of the file cleans up whatever is left.
 */
export async function closeTab(page: Page): Promise<void> {
  await Promise.race([page.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3000))]);
}
