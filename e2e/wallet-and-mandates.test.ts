import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPlacesOrder, agentSubmitsCardForm, answerInWindow, badgeText, confirmationFor, startSystem, type System, closeTab } from './system.ts';

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system?.close());

const confirmWindows = () => system.browser.context.pages().filter((p) => !p.isClosed() && p.url().includes('/confirm.html'));

describe('the AI Wallet page and mandates', () => {
  it('lists what the agent bought, labelled with the agent', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { tieguanyin: 1 });
    await agentSubmitsCardForm(page);
    await answerInWindow(system, '58.00 CNY', 'Approve');
    await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');

    // The agent asked for a refund (as POST /v1/intents/{id}/refund-request records it): the row says so beside Refund.
    await system.relay.ctx.db.query(
      `UPDATE intents SET refund_asked_at = now(), refund_reason = 'The tin was dented' WHERE id = (SELECT intent_id FROM charges WHERE reference = $1)`, [orderId],
    );
    const wallet = await system.browser.context.newPage();
    await wallet.goto(system.browser.url('wallet.html'));
    const record = wallet.locator('tr[data-record-id][data-agent-name="Browser automation"]');
    await expect.poll(() => record.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await record.first().textContent()).toContain('58.00 CNY');
    expect(await record.first().getByRole('note').textContent()).toBe('Browser automation asks for a refund: The tin was dented');
    // The checkout was reported as the agent's task, step by step, ending paid.
    const task = wallet.locator('li[data-task-id^="checkout-"]');
    await expect.poll(() => task.first().getAttribute('data-state'), { timeout: 10_000 }).toBe('paid');

    // Reversing it (after the user says yes) refunds the charge at the relay.
    await record.first().getByRole('button', { name: 'Refund' }).click();
    await wallet.getByRole('dialog', { name: 'Refund 58.00 CNY from Demo Tea Shop?' }).getByRole('button', { name: 'Refund' }).click();
    await record.first().getByRole('status').filter({ hasText: 'Refunded 58.00 CNY' }).waitFor();
    const [charge] = await system.relay.ctx.db.query<{ refunded: number }>('SELECT refunded_minor::int AS refunded FROM charges WHERE reference = $1', [orderId]);
    expect(charge!.refunded).toBe(5800);
    await closeTab(page);
    await closeTab(wallet);
  });

  it('a budget (quota) mandate set in the wallet page pays without opening a window', async () => {
    const wallet = await system.browser.context.newPage();
    await wallet.goto(system.browser.url('wallet.html'));
    const agent = wallet.locator('li[data-agent-name="Browser automation"]');
    await agent.getByRole('button', { name: 'Edit mandate' }).click();
    await agent.getByLabel('Mandate kind').selectOption('quota');
    await agent.getByLabel('Budget', { exact: true }).fill('500.00');
    await agent.getByLabel('Currency').first().fill('CNY');
    await agent.getByLabel('Period').selectOption('month');
    await agent.getByLabel('Max per payment').fill('200.00');
    await agent.getByRole('button', { name: 'Save mandate' }).click();
    await expect.poll(() => agent.locator('[data-mandate-kind]').getAttribute('data-mandate-kind'), { timeout: 10_000 }).toBe('quota');
    await closeTab(wallet);

    // The window of the payment before shows what came of it for a few seconds, then closes itself.
    await expect.poll(() => confirmWindows().length, { timeout: 20_000 }).toBe(0);
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { longjing: 1 });
    await agentSubmitsCardForm(page);
    await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');
    expect(confirmWindows()).toHaveLength(0);
    await closeTab(page);
  });

  it('several held payments queue in one window, counted on the badge; closing the window rejects them', async () => {
    const pages = [];
    for (const quantities of [{ puerh: 2 }, { teapot: 2 }] as Record<string, number>[]) {
      const page = await system.browser.context.newPage();
      pages.push({ page, orderId: await agentPlacesOrder(page, system.shop, quantities) });
      await agentSubmitsCardForm(page); // both above the mandate's 200.00 per payment, so both are held
    }
    const { page: confirmWindow } = await confirmationFor(system, '378.00 CNY');
    await confirmationFor(system, '256.00 CNY');
    expect(confirmWindows()).toHaveLength(1);
    await expect.poll(() => badgeText(system)).toBe('2');

    await confirmWindow.close();
    for (const { page } of pages) await page.getByRole('alert').filter({ hasText: 'closed' }).waitFor();
    await expect.poll(() => badgeText(system)).toBe('');
    for (const { page, orderId } of pages) {
      expect(system.shop.orders.get(orderId).status).toBe('unpaid');
      await closeTab(page);
    }
  });
});
