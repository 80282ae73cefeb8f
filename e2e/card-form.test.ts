import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextExtensionPage } from './browser.ts';
import { agentPlacesOrder, startSystem, type System, closeTab } from './system.ts';

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system?.close());

describe('a card form checkout driven by an agent', () => {
  it('is held, confirmed in the extension window, and paid with the token card', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { longjing: 2 });
    expect(await page.evaluate(() => navigator.webdriver)).toBe(true);

    // The agent types a card it made up and submits: the extension holds the submit.
    await page.locator('#card-name').fill('Agent Smith');
    await page.locator('#card-number').fill('4111111111111111');
    await page.locator('#card-exp').fill('12/30');
    await page.locator('#card-csc').fill('123');
    await page.locator('#pay-card').click();

    const confirm = await nextExtensionPage(system.browser, 'confirm.html');
    await expect.poll(() => confirm.locator('[data-field="agent"]').first().textContent()).toBe('Browser automation');
    expect(await confirm.locator('[data-field="origin"]').first().textContent()).toBe(system.shop.url);
    expect(await confirm.getByRole('heading', { level: 2 }).first().textContent()).toBe('70.00 CNY');
    expect(system.shop.orders.get(orderId).status).toBe('unpaid');

    await confirm.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`**/orders/${orderId}`);
    await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');
    await closeTab(page);
  });
});
