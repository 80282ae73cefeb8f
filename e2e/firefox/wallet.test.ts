import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { button } from './extension-tab.ts';
import { agentPlacesOrder, agentSubmitsCardForm, answerInWindow, type FirefoxSystem, startFirefoxSystem } from './system.ts';

/** The AI Wallet page in Firefox: what agents bought, their tasks, and reversing a purchase. */
let system: FirefoxSystem;
beforeAll(async () => {
  system = await startFirefoxSystem();
});
afterAll(() => system?.close());

describe('the AI Wallet page in Firefox', () => {
  it('lists what the agent bought and its task, and reverses a purchase at the relay', async () => {
    const page = await system.firefox.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { tieguanyin: 1 });
    await agentSubmitsCardForm(page);
    await answerInWindow(system, '58.00 CNY', 'Approve');
    await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');

    const wallet = await system.firefox.openExtensionPage('wallet.html');
    const record = await wallet.waitFor('the purchase in the records', () => {
      const row = document.querySelector('tr[data-record-id][data-agent-name="Browser automation"]');
      return row ? { id: row.getAttribute('data-record-id'), text: row.textContent ?? '' } : null;
    }, []);
    expect(record.text).toContain('58.00 CNY');
    // The checkout was reported as the agent's task, step by step, ending paid.
    await wallet.waitFor('the checkout task to be paid', () => document.querySelector('li[data-task-id^="checkout-"]')?.getAttribute('data-state') === 'paid', []);

    // Refund asks first, naming the amount and the shop; the dialog's own Refund moves the money back.
    await wallet.click(button('Refund', { selector: `tr[data-record-id="${record.id}"]`, containing: '58.00 CNY' }));
    await wallet.click(button('Refund', { selector: `tr[data-record-id="${record.id}"] dialog[open]`, containing: 'Refund 58.00 CNY' }));
    await wallet.waitFor('the record to read refunded', (id) => document.querySelector(`tr[data-record-id="${id}"]`)?.getAttribute('data-state') === 'refunded', [record.id]);
    const [charge] = await system.relay.ctx.db.query<{ refunded: number }>('SELECT refunded_minor::int AS refunded FROM charges WHERE reference = $1', [orderId]);
    expect(charge!.refunded).toBe(5800);
    await wallet.close();
    await page.close();
  });
});
