import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPlacesOrder, agentSubmitsCardForm, closeTab, confirmationFor, startSystem, type System } from './system.ts';
import { screenshotPath } from './screenshots.ts';

/**
 * The confirmation window tells the truth: the time left and what happens when it runs out, a
 * checkout whose tab is gone, the outcome after Approve, several requests one at a time, the rule
 * that sent a payment here in words, and the popup and badge counting only what still waits.
 * The relay holds a payment for CONFIRM_TTL_SECONDS only, so expiry is seen within a test.
 */
const CONFIRM_TTL_SECONDS = 30;
/** How long a poll waits for what the user would see (the Approve arming delay, the worker answering). */
const WAIT = { timeout: 15_000 };
let system: System;
const shots = mkdtempSync(join(tmpdir(), 'agentpay-confirm-shots-'));

beforeAll(async () => {
  system = await startSystem({ relay: { confirmTtlSeconds: CONFIRM_TTL_SECONDS } });
});
afterAll(() => system?.close());

const confirmWindows = () => system.browser.context.pages().filter((p) => !p.isClosed() && p.url().includes('/confirm.html'));

/** The toolbar badge, read from whichever service worker is the extension's now (a test restarts it). */
async function badge(): Promise<string> {
  for (const worker of [...system.browser.context.serviceWorkers()].reverse()) {
    const text = await worker.evaluate(() => (globalThis as any).chrome.action.getBadgeText({}) as Promise<string>).catch(() => null);
    if (text !== null) return text;
  }
  return 'no worker answered';
}

/** What the toolbar menu says is waiting, opened as a page. */
async function popupSays(): Promise<string> {
  const popup = await system.browser.context.newPage();
  try {
    await popup.goto(system.browser.url('popup.html'));
    const waiting = popup.getByRole('button', { name: /waiting for you/ }).or(popup.getByRole('status').filter({ hasText: 'Nothing is waiting' }));
    return (await waiting.first().textContent({ timeout: 10_000 }))!.trim();
  } finally {
    await closeTab(popup);
  }
}

/** An agent's checkout of `quantities` (by the card form, or the Payment Request API), held for the user: its shop tab and order. */
async function heldCheckout(quantities: Record<string, number>, amount: string, how: 'card form' | 'Payment Request' = 'card form') {
  const page = await system.browser.context.newPage();
  const orderId = await agentPlacesOrder(page, system.shop, quantities);
  if (how === 'card form') await agentSubmitsCardForm(page);
  else await page.getByRole('button', { name: 'Pay with Payment Request' }).click();
  const { page: window, request } = await confirmationFor(system, amount);
  return { page, orderId, window, request };
}

/** The sentence the window shows for what came of the payment of `amount` to the demo shop. */
const outcomeOf = (window: Page, amount: string) => window.getByRole('article', { name: `Outcome: ${amount} to Demo Tea Shop` }).getByRole('status');

const intentOf = async (request: ReturnType<Page['locator']>) => (await request.getAttribute('data-intent-id'))!;
const intentRow = async (id: string) =>
  (await system.relay.ctx.db.query<{ status: string; ended_reason: string | null }>('SELECT status, ended_reason FROM intents WHERE id = $1', [id]))[0]!;

describe('the confirmation window', () => {
  it('shows what is bought, the rule in words, where the money comes from and the time left; after Approve it says "Paid …"', async () => {
    // The agent's rules, one described by the user: the window names it by that description, never by its id.
    const helper = await system.browser.context.newPage();
    await helper.goto(system.browser.url('popup.html'));
    const created = await helper.evaluate(() => (globalThis as any).chrome.runtime.sendMessage({ type: 'agent.create', name: 'Browser automation' }));
    await closeTab(helper);
    const actorId: string = created.value.actorId;
    const [actor] = await system.relay.ctx.db.query<{ wallet_id: string }>('SELECT wallet_id FROM actors WHERE id = $1', [actorId]);
    await seedMandate(actor!.wallet_id, actorId, [{ id: 'rule-1', description: 'Tea under 50 CNY', currency: 'CNY', maxPerPaymentMinor: 50_00 }]);

    const { page, orderId, window, request } = await heldCheckout({ tieguanyin: 1 }, '58.00 CNY');
    await expect.poll(() => request.getByRole('timer', { name: 'Time left to answer' }).textContent(), WAIT).toMatch(/^0:(2\d|30) left$/);
    await expect.poll(() => request.getByRole('button', { name: 'Approve' }).isEnabled(), WAIT).toBe(true);
    await window.screenshot({ path: screenshotPath('confirm-window.png') });
    // A card form names no items: the window shows the lines of the page's own order summary (they add up
    // to the total it pays) and the page's title, never a bare "Total".
    const bought = request.getByRole('region', { name: 'What is bought' });
    expect(await bought.getByRole('row').allTextContents()).toEqual(['Tieguanyin oolong, 100 g1 × 58.00 CNY58.00 CNY']);
    expect(await bought.locator('[data-field="summary"]').textContent()).toBe(`Order ${orderId} · Demo Tea Shop`);
    expect(await request.locator('[data-field="merchant"]').textContent()).toBe('Demo Tea Shop');
    expect(await request.locator('[data-field="funding"]').textContent()).toContain('your AgentPay wallet');
    const rule = (await request.locator('[data-field="mandate"]').textContent())!;
    expect(rule).toContain('"Tea under 50 CNY"');
    const why = (await request.getByRole('list', { name: 'Why you are asked' }).textContent())!;
    expect(why).toContain('"Tea under 50 CNY": 58.00 CNY is above 50.00 CNY');
    expect(`${rule} ${why}`).not.toMatch(/rule-1|mdt_|mer_/);

    await request.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => outcomeOf(window, '58.00 CNY').textContent().catch(() => null), { timeout: 20_000 }).toBe('Paid 58.00 CNY to Demo Tea Shop.');
    expect(system.shop.orders.get(orderId).status).toBe('paid');
    await window.screenshot({ path: join(shots, 'paid.png') });
    expect(await badge()).toBe('');
    // The window closes itself once the user has had time to read the outcome.
    await expect.poll(() => confirmWindows().length, { timeout: 15_000 }).toBe(0);
    await closeTab(page);
  });

  it('counts down, and when time runs out says "Expired: nothing was paid", takes Approve away and tells the checkout', async () => {
    const { page, orderId, window, request } = await heldCheckout({ longjing: 3 }, '105.00 CNY');
    const intentId = await intentOf(request);
    await expect.poll(() => badge(), WAIT).toBe('1');
    expect(await popupSays()).toBe('1 payment waiting for you');
    const timer = request.getByRole('timer', { name: 'Time left to answer' });
    const first = await timer.textContent();
    await expect.poll(() => timer.textContent(), { timeout: 5_000 }).not.toBe(first);

    await expect.poll(() => outcomeOf(window, '105.00 CNY').textContent().catch(() => null), { timeout: (CONFIRM_TTL_SECONDS + 15) * 1000 }).toMatch(/^Expired: nothing was paid\./);
    expect(await window.getByRole('article', { name: 'Payment of 105.00 CNY to Demo Tea Shop' }).getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await page.getByRole('alert').filter({ hasText: 'expired' }).waitFor();
    expect(system.shop.orders.get(orderId).status).toBe('unpaid');
    await expect.poll(() => badge(), WAIT).toBe('');
    expect(await popupSays()).toBe('Nothing is waiting for you.');
    await expect.poll(async () => (await intentRow(intentId)).status, WAIT).toBe('expired');
    await closeTab(page);
  }, 120_000);

  it('cancels the request at the relay when the checkout\'s tab is closed, and says so', async () => {
    const { page, window, request } = await heldCheckout({ puerh: 1 }, '128.00 CNY');
    const intentId = await intentOf(request);
    await closeTab(page);
    await expect.poll(() => outcomeOf(window, '128.00 CNY').textContent().catch(() => null), WAIT).toBe("The checkout's tab was closed; nothing was paid.");
    expect(await window.getByRole('article', { name: 'Payment of 128.00 CNY to Demo Tea Shop' }).count()).toBe(0);
    expect(await intentRow(intentId)).toEqual({ status: 'denied', ended_reason: "the checkout's tab was closed; nothing was paid" });
    await expect.poll(() => badge(), WAIT).toBe('');
    expect(await popupSays()).toBe('Nothing is waiting for you.');
  });

  it('shows several requests one at a time, "1 of N" with Next and Previous, and Reject all answers them all', async () => {
    const one = await heldCheckout({ teapot: 1 }, '189.00 CNY');
    const two = await heldCheckout({ longjing: 2 }, '70.00 CNY', 'Payment Request');
    // The Payment Request named its items: the window lists them.
    expect(await two.request.getByRole('region', { name: 'What is bought' }).getByRole('row').first().textContent()).toContain('West Lake Longjing green tea, 50 g');
    const window = two.window;
    const pager = window.getByRole('navigation', { name: 'Waiting payments' });
    await expect.poll(() => badge(), WAIT).toBe('2');
    expect(await popupSays()).toBe('2 payments waiting for you');
    await pager.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => pager.textContent(), WAIT).toContain('1 of 2');
    expect(await window.getByRole('heading', { level: 2 }).first().textContent()).toBe('189.00 CNY');
    await pager.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => pager.textContent(), WAIT).toContain('2 of 2');
    expect(await window.getByRole('heading', { level: 2 }).first().textContent()).toBe('70.00 CNY');
    await window.screenshot({ path: join(shots, 'two-waiting.png') });

    await pager.getByRole('button', { name: 'Reject all' }).click();
    for (const amount of ['189.00 CNY', '70.00 CNY']) {
      await expect.poll(() => outcomeOf(window, amount).textContent().catch(() => null), WAIT).toBe('You rejected this payment; nothing was paid.');
    }
    for (const { page, orderId } of [one, two]) {
      await page.getByRole('alert').filter({ hasText: 'rejected' }).waitFor();
      expect(system.shop.orders.get(orderId).status).toBe('unpaid');
    }
    await expect.poll(() => badge(), WAIT).toBe('');
    expect(await popupSays()).toBe('Nothing is waiting for you.');
    for (const { page } of [one, two]) await closeTab(page);
  });

  it('after the worker restarts, clears a request whose tab is gone (as after a browser restart) and cancels it at the relay', async () => {
    const { page, request } = await heldCheckout({ tieguanyin: 2 }, '116.00 CNY');
    const intentId = await intentOf(request);
    // As after a browser restart: the request names a tab that no longer exists, and the worker starts again.
    const worker = system.browser.context.serviceWorkers().at(-1)!;
    await worker.evaluate(async () => {
      const chrome = (globalThis as any).chrome;
      const { pending } = await chrome.storage.local.get('pending');
      await chrome.storage.local.set({ pending: pending.map((p: { tabId: number }) => ({ ...p, tabId: 999_999 })) });
    });
    await restartWorker();
    await expect.poll(async () => (await intentRow(intentId)).status, { timeout: 20_000 }).toBe('denied');
    expect((await intentRow(intentId)).ended_reason).toBe("the checkout's tab was closed; nothing was paid");
    await expect.poll(() => badge(), WAIT).toBe('');
    expect(await popupSays()).toBe('Nothing is waiting for you.');
    await closeTab(page);
  });
});

/**
 * Stops the extension's service worker, as the browser does when it is idle or quits, and wakes a
 * fresh one with a message from an extension page, as the toolbar menu or the window would.
 */
async function restartWorker(): Promise<void> {
  const blank = await system.browser.context.newPage();
  const cdp = await system.browser.context.newCDPSession(blank);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await closeTab(blank);
  const page = await system.browser.context.newPage();
  await page.goto(system.browser.url('popup.html'));
  await page.evaluate(() => (globalThis as any).chrome.runtime.sendMessage({ type: 'outcomes.refresh' }));
  await closeTab(page);
}

/**
 * Sets the agent's rules as the relay stores a mandate the wallet signed. The mandate form is the
 * wallet page's (another part, changing); what this file checks is how the window words a mandate.
 */
describe('the window opened while the relay decides', () => {
  /** A new order in its own tab, handed to `agentName` as the toolbar's "Hand to agent" does. */
  async function handedOrder(agentName: string) {
    const page = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(page, system.shop, { tieguanyin: 1 });
    const menu = await system.browser.context.newPage();
    await menu.goto(system.browser.url('popup.html'));
    await menu.evaluate(async ([url, agentName]) => {
      const chrome = (globalThis as any).chrome;
      const [tab] = await chrome.tabs.query({ url });
      return chrome.runtime.sendMessage({ type: 'tab.hand', tabId: tab.id, agentName });
    }, [page.url(), agentName]);
    await closeTab(menu);
    return { page, orderId };
  }
  const storedAgents = async () => {
    const worker = system.browser.context.serviceWorkers().at(-1)!;
    return worker.evaluate(async () => (await (globalThis as any).chrome.storage.local.get('agents')).agents as Record<string, { actorId: string; asksEveryTime?: boolean }>);
  };

  it('opens for an agent whose payments always ask; once a budget pays on its own the window says so, and the next payment opens none', async () => {
    const agentName = `Tea buyer ${Date.now()}`;
    // 1. A new agent has no mandate: the window opens while the relay is asked, and asks.
    const first = await handedOrder(agentName);
    await agentSubmitsCardForm(first.page);
    const { request } = await confirmationFor(system, '58.00 CNY');
    expect(await request.locator('[data-field="agent"]').textContent()).toBe(agentName);
    await expect.poll(() => request.getByRole('button', { name: 'Approve' }).isEnabled(), WAIT).toBe(true);
    await request.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => system.shop.orders.get(first.orderId).status, WAIT).toBe('paid');
    expect((await storedAgents())[agentName]).toMatchObject({ asksEveryTime: true });
    await expect.poll(() => confirmWindows().length, { timeout: 15_000 }).toBe(0);
    await closeTab(first.page);

    // 2. The user gives it a budget elsewhere (not through this browser's wallet page): the next payment
    // opens the window on the old guess, and the window says the mandate paid instead of asking.
    const actorId = (await storedAgents())[agentName]!.actorId;
    const [actor] = await system.relay.ctx.db.query<{ wallet_id: string }>('SELECT wallet_id FROM actors WHERE id = $1', [actorId]);
    await seedMandateDocument(actor!.wallet_id, actorId, 'quota', { budget: { minor: 500_00, currency: 'CNY' }, period: 'month' });
    const second = await handedOrder(agentName);
    const opened = system.browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('/confirm.html'), timeout: 15_000 });
    await agentSubmitsCardForm(second.page);
    const guessed = await opened;
    await expect.poll(() => system.shop.orders.get(second.orderId).status, WAIT).toBe('paid');
    await expect.poll(() => outcomeOf(guessed, '58.00 CNY').textContent().catch(() => null), { timeout: 20_000 }).toBe('Paid 58.00 CNY to Demo Tea Shop.');
    expect(await guessed.getByRole('article', { name: /Payment of/ }).count()).toBe(0); // nothing to approve
    expect((await storedAgents())[agentName]).toMatchObject({ asksEveryTime: false });
    await expect.poll(() => confirmWindows().length, { timeout: 15_000 }).toBe(0);
    await closeTab(second.page);

    // 3. Within its budget it pays without a window.
    const third = await handedOrder(agentName);
    const windows: string[] = [];
    const seeWindow = (page: Page) => void (page.url().includes('/confirm.html') && windows.push(page.url()));
    system.browser.context.on('page', seeWindow);
    try {
      await agentSubmitsCardForm(third.page);
      await expect.poll(() => system.shop.orders.get(third.orderId).status, WAIT).toBe('paid');
      expect(windows).toEqual([]);
    } finally {
      system.browser.context.off('page', seeWindow);
      await closeTab(third.page);
    }
  });
});

async function seedMandateDocument(walletId: string, actorId: string, kind: 'rules' | 'quota', terms: object): Promise<void> {
  const issuedAt = new Date().toISOString();
  const document = { v: 1, walletId, actorId, issuedAt, block: { merchants: [], categories: [] }, kind, ...terms };
  await system.relay.ctx.db.query('UPDATE mandates SET superseded_at = now() WHERE actor_id = $1 AND superseded_at IS NULL', [actorId]);
  await system.relay.ctx.db.query(
    `INSERT INTO mandates (id, actor_id, wallet_id, kind, document, jws, issued_at, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, 'seeded-by-test', $6, now())`,
    [`mdt_test${Date.now()}`, actorId, walletId, kind, JSON.stringify(document), issuedAt],
  );
}

async function seedMandate(walletId: string, actorId: string, rules: object[]): Promise<void> {
  await seedMandateDocument(walletId, actorId, 'rules', { rules });
}
