import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPlacesOrder, answerInWindow, closeTab, startSystem, type System } from './system.ts';

/**
 * Cards sent by the page's script rather than by a form submit, on the demo
 * shop's own origin: held before they leave, paid with the token's card.
 * (The realistic pages of e2e/real-web-*.test.ts cover the shapes shops use.)
 */
let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system?.close());

const AGENT_CARD = { 'cc-name': 'Agent Smith', 'cc-number': '4242 4242 4242 4242', 'cc-exp': '12/30', 'cc-csc': '123' };

/** Everything the page sent, as the browser put it on the wire (after the extension's hold). */
function sentBy(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (request) => sent.push(`${request.url()} ${request.postData() ?? ''}`));
  return sent;
}
const agentCardIn = (sent: string[]) => sent.filter((line) => /4242(\+|%20| )?4242(\+|%20| )?4242(\+|%20| )?4242/.test(line));

describe('a card sent by script', () => {
  it('is held when fetched three times at once, paid once with the token card, and every call gets the answer', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { longjing: 2 });
    const sent = sentBy(page);
    const statuses = page.evaluate(
      ({ id, card }) => Promise.all([1, 2, 3].map(() => fetch(`/orders/${id}/card`, { method: 'POST', body: new URLSearchParams(card) }).then((r) => r.status))),
      { id: orderId, card: AGENT_CARD },
    );
    await answerInWindow(system, '70.00 CNY', 'Approve');
    expect((await statuses).every((status) => status < 500)).toBe(true);
    await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');
    expect(sent.filter((line) => line.includes('/card '))).toHaveLength(3);
    expect(agentCardIn(sent)).toEqual([]);
    await closeTab(page);
  });

  it('on a page with no total it can read, the window asks the amount, then the approval is for that amount', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { puerh: 1 });
    await page.goto(`${system.shop.url}/`); // the product list: prices, but no order total
    const sent = sentBy(page);
    const status = page.evaluate(
      ({ id, card }) => fetch(`/orders/${id}/card`, { method: 'POST', body: new URLSearchParams(card) }).then((r) => r.status, (e: Error) => e.message),
      { id: orderId, card: AGENT_CARD },
    );
    const window = await findConfirmWindow();
    const asked = window.getByRole('article', { name: /Amount needed/ });
    await asked.getByLabel('Amount').fill('128.00');
    await asked.getByLabel('Currency').fill('CNY');
    await asked.getByRole('button', { name: 'Continue' }).click();
    await answerInWindow(system, '128.00 CNY', 'Approve');
    expect(await status).toBeLessThan(500);
    await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');
    expect(agentCardIn(sent)).toEqual([]);
    await closeTab(page);
  });
});

async function findConfirmWindow() {
  const url = system.browser.url('confirm.html');
  return system.browser.context.pages().find((p) => p.url().startsWith(url)) ?? system.browser.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(url), timeout: 20_000 });
}
