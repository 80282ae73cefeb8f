import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentPlacesOrder, agentSubmitsCardForm, alertContaining, answerInWindow, type FirefoxSystem, shownInWindow, startFirefoxSystem } from './system.ts';

/**
 * The core checkouts in stock Firefox with the built Firefox extension: each
 * driven by the test as a browser agent would, held, shown in the extension's
 * window, and paid with a single-use token once a person approves.
 */
let system: FirefoxSystem;
beforeAll(async () => {
  system = await startFirefoxSystem();
});
afterAll(() => system?.close());
// KNOWN PROBLEM (issue 11 note): in Firefox a payment arriving in a window that still shows an earlier
// payment's outcome is not armed; each checkout starts with that window closed, as a person would.
beforeEach(async () => {
  for (const tab of await system.firefox.extensionPages('confirm.html')) await tab.close();
});

async function newOrder(quantities: Record<string, number>) {
  const page = await system.firefox.newPage();
  const orderId = await agentPlacesOrder(page, system.shop, quantities);
  return { page, orderId, status: () => system.shop.orders.get(orderId).status };
}

describe('checkouts in Firefox', () => {
  it('a card form is held before the card leaves the page, confirmed in the window, and paid with the token card', async () => {
    const { page, orderId, status } = await newOrder({ longjing: 2 });
    expect(await page.evaluate(() => navigator.webdriver)).toBe(true);
    await agentSubmitsCardForm(page);

    const shown = await shownInWindow(system, '70.00 CNY');
    expect(shown).toMatchObject({ agent: 'Browser automation', origin: system.shop.url, merchant: 'Demo Tea Shop' });
    expect(status()).toBe('unpaid');

    await answerInWindow(system, '70.00 CNY', 'Approve');
    await expect.poll(status, { timeout: 15_000 }).toBe('paid');
    await page.waitForFunction((id) => location.pathname.endsWith(id), {}, orderId);
    await page.close();
  });

  it('"Reject" leaves the shop uncharged and tells the page why', async () => {
    const { page, status } = await newOrder({ puerh: 2 });
    await agentSubmitsCardForm(page);
    await answerInWindow(system, '256.00 CNY', 'Reject');
    expect(await alertContaining(page, 'rejected')).toMatch(/rejected/);
    expect(status()).toBe('unpaid');
    await page.close();
  });

  it('the injected provider (window.agentpay) pays what the page asks, under the agent that identified itself', async () => {
    const { page, status } = await newOrder({ longjing: 3 });
    await page.evaluate(() => (window as unknown as { agentpay: { identify(who: { name: string }): Promise<unknown> } }).agentpay.identify({ name: 'Tea buyer' }));
    await page.locator('button::-p-text(Pay with AgentPay wallet)').click();
    expect(await shownInWindow(system, '105.00 CNY')).toMatchObject({ agent: `Tea buyer (${new URL(system.shop.url).host})` });
    await answerInWindow(system, '105.00 CNY', 'Approve');
    await expect.poll(status, { timeout: 15_000 }).toBe('paid');
    await page.close();
  });

  it('Payment Request, which Firefox does not ship, is answered by the wallet on an automated page', async () => {
    const { page, status } = await newOrder({ puerh: 1 });
    await page.locator('button::-p-text(Pay with Payment Request)').click();
    await answerInWindow(system, '128.00 CNY', 'Approve');
    await expect.poll(status, { timeout: 15_000 }).toBe('paid');
    await page.close();
  });

  it('an HTTP 402 answer to the page\'s own fetch (x402 v2) is offered to the wallet and the request sent again with PAYMENT-SIGNATURE', async () => {
    const { page, status } = await newOrder({ teapot: 1 });
    await page.locator('button::-p-text(Get receipt PDF)').click();
    await answerInWindow(system, '189.00 CNY', 'Approve');
    await expect.poll(status, { timeout: 15_000 }).toBe('paid');
    await page.close();
  });

  it('a scan-to-pay QR code is decoded in the background page\'s worker (Firefox has no offscreen documents), verified and paid', async () => {
    const { page, status } = await newOrder({ longjing: 1, tieguanyin: 1 });
    await page.locator('a::-p-text(Pay by scanning a QR code with a wallet app)').click();
    await answerInWindow(system, '93.00 CNY', 'Approve');
    await expect.poll(status, { timeout: 15_000 }).toBe('paid');
    await page.close();
  });
});
