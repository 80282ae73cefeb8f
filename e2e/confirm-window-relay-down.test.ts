import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPlacesOrder, agentSubmitsCardForm, closeTab, confirmationFor, startSystem, type System } from './system.ts';

/** The relay stops while a payment waits in the window: Approve says so in a sentence, never "Failed to fetch". */
let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(() => system?.close());

describe('the confirmation window when the relay is down', () => {
  it('answers Approve with one plain sentence: the relay cannot be reached and nothing was paid', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { tieguanyin: 1 });
    await agentSubmitsCardForm(page);
    const { request } = await confirmationFor(system, '58.00 CNY');
    await system.relay.close();

    await request.getByRole('button', { name: 'Approve' }).click();
    const alert = request.getByRole('alert');
    await alert.waitFor();
    const said = (await alert.textContent())!;
    expect(said).toMatch(/^AgentPay's relay \(http:\/\/127\.0\.0\.1:\d+\) cannot be reached, so nothing was paid\. Check that the relay is running/);
    expect(said).not.toContain('Failed to fetch');
    // Nothing was approved: the request still waits, and Approve can be tried again once the relay is back.
    expect(await request.getByRole('button', { name: 'Approve' }).isEnabled()).toBe(true);
    expect(system.shop.orders.get(orderId).status).toBe('unpaid');
    await closeTab(page);
  });
});
