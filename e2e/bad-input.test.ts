import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPlacesOrder, agentSubmitsCardForm, closeTab, confirmationFor, startSystem, type System } from './system.ts';

/** What a user sees when a checkout cannot be paid as asked: a clear notice, the checkout held, nothing paid. */
let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system?.close());

const notice = (page: import('playwright-core').Page) => page.getByRole('alert');

describe('bad input', () => {
  it('a malformed request through the provider is refused, naming what was wrong', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { longjing: 1 });
    const refusal = await page.evaluate(() =>
      (window as any).agentpay.requestPayment({ amount: { minor: 35.5, currency: 'cny' }, category: 'physical_goods' }).then(
        () => 'paid',
        (error: Error & { code?: string }) => `${error.code}: ${error.message}`,
      ),
    );
    expect(refusal).toMatch(/^invalid_checkout: .*amount/);
    await notice(page).filter({ hasText: 'amount' }).waitFor();
    expect(system.shop.orders.get(orderId).status).toBe('unpaid');
    await closeTab(page);
  });

  it('an agent that submits twice is asked about once, and charged once', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { teapot: 1 });
    await agentSubmitsCardForm(page);
    await page.locator('#pay-card').click();
    await page.evaluate(() => (document.querySelector('#card-form') as HTMLFormElement).submit());
    const { page: confirmWindow } = await confirmationFor(system, '189.00 CNY');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await confirmWindow.locator('article').count()).toBe(1);
    await confirmWindow.locator('article').getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');
    const charges = await system.relay.ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM charges WHERE reference = $1`,
      [orderId],
    );
    expect(charges[0]!.n).toBe(1);
    await closeTab(page);
  });
});
