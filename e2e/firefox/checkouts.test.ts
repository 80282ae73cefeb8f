import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
