import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPlacesOrder, agentSubmitsCardForm, answerInWindow, confirmationFor, lendPasskey, startSystem, type System, closeTab } from './system.ts';

/**
 * What an agent or a page must not be able to do: approve for the user. The
 * wallet registered a passkey, asked for from 100.00 CNY up.
 */
let system: System;
beforeAll(async () => {
  system = await startSystem({ stepUp: { amount: '100.00', currency: 'CNY' } });
});
afterAll(() => system?.close());

async function pendingAtRelay(): Promise<string[]> {
  const rows = await system.relay.ctx.db.query<{ id: string }>(`SELECT id FROM intents WHERE status = 'pending_confirmation'`);
  return rows.map((r) => r.id);
}

describe('no page script, forged message or synthetic click approves a payment', () => {
  it('forged messages, a fake confirmation and synthetic clicks leave the payment held', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { longjing: 2 });
    await agentSubmitsCardForm(page);
    const { page: confirmWindow, request } = await confirmationFor(system, '70.00 CNY');
    const [intentId] = await request.evaluate((el) => [el.getAttribute('data-intent-id')]);

    const forged = await page.evaluate(async (intentId) => {
      const results: string[] = [];
      // Messages in the bridge's own format, claiming to be the wallet's answer or a command.
      for (const request of [
        { kind: 'confirmation.answered', intentId, decision: 'approve' },
        { type: 'confirmation.answered', intentId, decision: 'approve' },
      ]) window.postMessage({ channel: 'agentpay:page', id: crypto.randomUUID(), request }, '*');
      window.postMessage({ channel: 'agentpay:wallet', id: 'watch', ok: true, payment: { intentId, token: 'forged' } }, '*');
      // The extension's pages are not reachable from the web.
      const chrome = (window as any).chrome;
      results.push(`runtime:${typeof chrome?.runtime?.sendMessage}`);
      // A fake confirmation drawn by the page, "approved" by a synthetic click.
      const fake = document.createElement('button');
      fake.textContent = 'Approve';
      fake.onclick = () => results.push('fake clicked');
      document.body.append(fake);
      fake.click();
      await new Promise((r) => setTimeout(r, 500));
      return results;
    }, intentId);
    expect(forged).toEqual(['runtime:undefined', 'fake clicked']);

    // Inside the real window, a script's click is not a person's: isTrusted is false, nothing is sent.
    await confirmWindow.evaluate(() => {
      for (const button of Array.from(document.querySelectorAll('button'))) if (button.textContent === 'Approve') button.click();
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await pendingAtRelay()).toContain(intentId);
    expect(system.shop.orders.get(orderId).status).toBe('unpaid');

    await answerInWindow(system, '70.00 CNY', 'Reject');
    await closeTab(page);
  });

  it('a request survives the service worker being stopped, and is still paid once approved', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { tieguanyin: 1 });
    await agentSubmitsCardForm(page);
    const { page: confirmWindow } = await confirmationFor(system, '58.00 CNY');

    // Stop the worker as Chrome does after 30 idle seconds, and wait until DevTools reports it stopped.
    const cdp = await system.browser.context.newCDPSession(confirmWindow);
    const status = new Map<string, string>();
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const v of versions) if (v.scriptURL.startsWith(system.browser.url('/'))) status.set(v.versionId, v.runningStatus);
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await expect.poll(() => [...status.values()].every((s) => s === 'stopped') && status.size > 0).toBe(true);

    await confirmWindow.reload(); // what the window shows comes from storage, not from the worker's memory
    await answerInWindow(system, '58.00 CNY', 'Approve');
    await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');
    await closeTab(page);
  });

  it('above the step-up amount, approving needs the passkey, checked by the relay', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { puerh: 1 });
    await agentSubmitsCardForm(page);
    const { page: confirmWindow, request } = await confirmationFor(system, '128.00 CNY');
    expect(await request.textContent()).toContain('needs your passkey');
    await lendPasskey(confirmWindow, system.passkey!);
    await answerInWindow(system, '128.00 CNY', 'Approve');

    await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');
    await closeTab(page);
  });

});

describe('mandates, with a passkey registered', () => {
  it('an agent driving the wallet page cannot give itself a budget without the passkey; the person can', async () => {
    const wallet = await system.browser.context.newPage();
    await wallet.goto(system.browser.url('wallet.html'));
    const setBudget = async () => {
      const agent = wallet.locator('li[data-agent-name="Browser automation"]');
      await agent.getByRole('button', { name: 'Edit mandate' }).click();
      await agent.getByLabel('Mandate kind').selectOption('quota');
      await agent.getByLabel('Budget', { exact: true }).fill('5000.00');
      await agent.getByLabel('Currency').first().fill('CNY');
      await agent.getByLabel('Max per payment').fill('5000.00');
      await agent.getByRole('button', { name: 'Save mandate' }).click();
      return agent;
    };
    // No authenticator answers on this page: the page waits for a person's passkey, which an agent
    // cannot give, and nothing reaches the relay (which would refuse it: relay/test/step-up.test.ts).
    await setBudget();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const mandates = () => system.relay.ctx.db.query<{ kind: string }>(
      `SELECT m.kind FROM mandates m JOIN actors a ON a.id = m.actor_id WHERE a.name = 'Browser automation' AND m.superseded_at IS NULL`,
    );
    expect(await mandates()).toEqual([]);

    // The person, with their passkey, can.
    await wallet.reload();
    await lendPasskey(wallet, system.passkey!);
    await setBudget();
    await expect.poll(async () => (await mandates()).map((m) => m.kind), { timeout: 10_000 }).toEqual(['quota']);
    await closeTab(wallet);
  });
});

describe('with the relay down', () => {
  it('with the relay down, the checkout stays held with a clear message, and nothing is paid', async () => {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { longjing: 1 });
    await system.relay.close();
    await agentSubmitsCardForm(page);
    await page.getByRole('alert').filter({ hasText: 'cannot be reached' }).waitFor();
    expect(page.url()).toContain(`/orders/${orderId}`);
    expect(system.shop.orders.get(orderId).status).toBe('unpaid');
    await closeTab(page);
  });
});
