import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPlacesOrder, answerInWindow, confirmationFor, startSystem, type System, closeTab } from './system.ts';

/**
 * Every checkout shape the extension intercepts, each driven by the test as a
 * browser agent would, each confirmed in the extension's window, each paid
 * with a single-use token that the shop charges through the relay.
 */
let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system?.close());

async function newOrder(quantities: Record<string, number>) {
  const page = await system.browser.context.newPage();
  const orderId = await agentPlacesOrder(page, system.shop, quantities);
  return { page, orderId, status: () => system.shop.orders.get(orderId).status };
}

describe('checkout shapes, each held and paid with a token after approval', () => {
  it('a Chinese card form without autocomplete is recognised by its labels and filled with the token card', async () => {
    const { page, orderId, status } = await newOrder({ tieguanyin: 1 });
    await page.goto(`${system.shop.url}/orders/${orderId}/pay/zh`);
    await page.getByLabel('持卡人姓名').fill('代理');
    await page.getByLabel('卡号').fill('6222020000000000');
    await page.getByLabel('有效期 (月/年)').fill('12/30');
    await page.getByLabel('安全码 (CVV)').fill('000');
    await page.getByRole('button', { name: '确认支付' }).click();
    await answerInWindow(system, '58.00 CNY', 'Approve');
    await expect.poll(status, { timeout: 15_000 }).toBe('paid');
    await closeTab(page);
  });

  it('the Payment Request API is answered by the wallet with the token', async () => {
    const { page, status } = await newOrder({ puerh: 1 });
    await page.getByRole('button', { name: 'Pay with Payment Request' }).click();
    await answerInWindow(system, '128.00 CNY', 'Approve');
    await expect.poll(status, { timeout: 15_000 }).toBe('paid');
    await closeTab(page);
  });

  it('the injected provider pays what the page asks, under the agent that identified itself', async () => {
    const { page, status } = await newOrder({ longjing: 3 });
    await page.evaluate(() => (window as any).agentpay.identify({ name: 'Tea buyer' }));
    await page.getByRole('button', { name: 'Pay with AgentPay wallet' }).click();
    const { request } = await confirmationFor(system, '105.00 CNY');
    // The page's word names an agent of this site only, never one the user gave a mandate elsewhere.
    expect(await request.locator('[data-field="agent"]').textContent()).toBe(`Tea buyer (${new URL(system.shop.url).host})`);
    await answerInWindow(system, '105.00 CNY', 'Approve');
    await expect.poll(status, { timeout: 15_000 }).toBe('paid');
    await closeTab(page);
  });

  it('an HTTP 402 (x402 v2) answer is offered to the wallet and the request retried with PAYMENT-SIGNATURE', async () => {
    const { page, status } = await newOrder({ teapot: 1 });
    await page.getByRole('button', { name: 'Get receipt PDF' }).click();
    await answerInWindow(system, '189.00 CNY', 'Approve');
    await expect.poll(status, { timeout: 15_000 }).toBe('paid');
    await page.locator('#order-status', { hasText: 'Paid' }).waitFor();
    await closeTab(page);
  });

  it('a scan-to-pay QR code is found, decoded off the page, verified and paid', async () => {
    const { page, status } = await newOrder({ longjing: 1, tieguanyin: 1 });
    await page.getByRole('link', { name: 'Pay by scanning a QR code with a wallet app' }).click();
    await answerInWindow(system, '93.00 CNY', 'Approve');
    await expect.poll(status, { timeout: 15_000 }).toBe('paid');
    await closeTab(page);
  });

  it('"Reject" leaves the shop uncharged and tells the page why', async () => {
    const { page, status } = await newOrder({ puerh: 2 });
    await page.locator('#card-name').fill('Agent Smith');
    await page.locator('#card-number').fill('4111111111111111');
    await page.locator('#card-exp').fill('12/30');
    await page.locator('#card-csc').fill('123');
    await page.locator('#pay-card').click();
    await answerInWindow(system, '256.00 CNY', 'Reject');
    await page.getByRole('alert').filter({ hasText: 'rejected' }).waitFor();
    expect(status()).toBe('unpaid');
    await closeTab(page);
  });
});
