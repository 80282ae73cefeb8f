import { type Actor, generateSigningKey, type Merchant, RelayHttpClient, type TopUp, type Usage, type WalletCredits } from '@agentpay/protocol';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalletHands } from '../relay/test/spending-history.ts';
import { extensionWallet } from './extension-wallet-key.ts';
import { screenshotPath } from './screenshots.ts';
import { answerInWindow, closeTab, startSystem, type System } from './system.ts';

/**
 * The AI Wallet's credits (Token Pay) as a person sees them, on a real relay and Chromium with the
 * extension: an agent buys credits at a model vendor, the vendor meters requests by model, and the
 * page shows the balance, the usage chart and the top-up labelled with the agent. The user sets an
 * automatic top-up in the page's form; a settle that crosses its threshold buys more, and the page
 * says so as it happens (no reload); with the agent paused, the next one fails and the page says why.
 */
const CNY = (minor: number) => ({ minor, currency: 'CNY' });
const VENDOR = 'Tea AI';
const AGENT = 'Research agent';

let system: System;
let wallet: Page;
let hands: WalletHands;
let vendor: { id: string; client: RelayHttpClient };
let agent: { id: string; client: RelayHttpClient };
let accountId: string;

beforeAll(async () => {
  system = await startSystem();
  wallet = await system.browser.context.newPage();
  await wallet.goto(system.browser.url('wallet.html'));
  hands = await extensionWallet(wallet, system.relay);
  const anon = new RelayHttpClient(system.relay.httpUrl, undefined, { now: () => system.relay.ctx.now().getTime() });

  const vendorKey = await generateSigningKey();
  const registered = await anon.as({ id: 'self', privateKey: vendorKey.privateKey }).post<Merchant>('/v1/merchants', { name: VENDOR, publicKey: vendorKey.publicJwk, origins: [] });
  vendor = { id: registered.id, client: anon.as({ id: registered.id, privateKey: vendorKey.privateKey }) };
  await vendor.client.put('/v1/vendor/prices', {
    prices: [{ model: 'tea-large', unit: 'tokens', perMillion: CNY(30_00) }, { model: 'tea-mini', unit: 'tokens', perMillion: CNY(1_50) }],
  });

  // The agent's budget names the vendor, so its top-ups within it are paid at once.
  const agentKey = await generateSigningKey();
  const actor = await hands.client.post<Actor>('/v1/wallet/actors', { kind: 'agent', name: AGENT, publicKey: agentKey.publicJwk });
  const mandate = { v: 1, walletId: hands.id, actorId: actor.id, issuedAt: new Date().toISOString(), kind: 'quota', budget: CNY(100_00), period: 'month', merchants: [vendor.id] };
  await hands.client.put(`/v1/wallet/actors/${actor.id}/mandate`, { jws: await hands.sign(mandate) });
  agent = { id: actor.id, client: anon.as({ id: actor.id, privateKey: agentKey.privateKey }) };
}, 180_000);
afterAll(async () => {
  if (wallet) await closeTab(wallet);
  await system?.close();
});

/** The vendor serves one request: reserves, then settles by units of a priced model (or an amount). */
async function meter(usageId: string, model: string, settle: { units: number } | { amount: { minor: number; currency: string } }): Promise<Usage> {
  await vendor.client.post('/v1/vendor/usage', { accountId, usageId, amount: CNY(10_00), model });
  return vendor.client.post<Usage>(`/v1/vendor/usage/${usageId}/settle`, { ...settle, model });
}

const relayCredits = async () => (await hands.client.get<WalletCredits>('/v1/wallet/credits')).credits.find((c) => c.accountId === accountId)!;
const section = () => wallet.getByRole('region', { name: 'AI credits', exact: true });
const card = () => section().locator(`li[data-vendor-name="${VENDOR}"]`);
const balance = () => card().locator('[data-balance-minor]');
const form = () => card().getByRole('form', { name: `Automatic top-up at ${VENDOR}` });
const rowCells = (row: Locator) => row.locator('th, td').allTextContents();
const today = () => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date());

describe("the AI Wallet's credits", () => {
  it('says in words when there are no credits yet', async () => {
    await section().getByText('No AI credits yet: when an agent buys credits at a model vendor they appear here.').waitFor({ timeout: 20_000 });
  });

  it('shows the balance, prices, usage by model and day, and the top-up labelled with the agent', async () => {
    const bought = await agent.client.post<TopUp>('/v1/agents/me/top-ups', { vendorId: vendor.id, amount: CNY(20_00) });
    expect(bought).toMatchObject({ status: 'paid', automatic: false });
    accountId = bought.accountId;
    // 40,000 + 10,000 tokens of tea-large at 30.00 CNY a million, 100,000 of tea-mini at 1.50: 1.20 + 0.30 + 0.15 CNY.
    await meter('req-1', 'tea-large', { units: 40_000 });
    await meter('req-2', 'tea-mini', { units: 100_000 });
    await meter('req-3', 'tea-large', { units: 10_000 });

    // Metered usage sends the wallet no event (a model API settles many times a second): the person
    // opens the page again to see it. Top-ups and low balances do come as events (tests below).
    await wallet.reload();
    await expect.poll(() => balance().textContent(), { timeout: 20_000 }).toBe('18.35 CNY');
    expect(await card().locator('.prices').textContent()).toBe('Prices: tea-large: 30.00 CNY per million tokens; tea-mini: 1.50 CNY per million tokens');

    const usage = card().getByRole('region', { name: 'Usage by model and day' });
    const chart = usage.getByRole('img', {
      name: 'Usage at Tea AI by day and model, last 30 days, in CNY: tea-large 1.50 CNY (2 requests, 50,000 tokens), tea-mini 0.15 CNY (1 request, 100,000 tokens)',
    });
    await chart.waitFor();
    // One dataset per model, stacked, and Chart.js painted them under the extension's CSP.
    expect(JSON.parse((await usage.locator('[data-series]').getAttribute('data-series'))!)).toEqual(['tea-large', 'tea-mini']);
    const painted = await chart.evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      return data.filter((_, i) => i % 4 === 3 && data[i]! > 0).length;
    });
    expect(painted).toBeGreaterThan(500);
    await usage.getByText(`Show as a table (${VENDOR})`).click();
    const table = usage.getByRole('table', { name: `Usage at ${VENDOR} by day and model, in CNY` });
    expect(await rowCells(table.getByRole('row').first())).toEqual(['Day', 'tea-large', 'tea-mini']);
    expect(await rowCells(table.getByRole('row', { name: new RegExp(`^${today()}`) }))).toEqual([today(), '1.50 CNY', '0.15 CNY']);

    const topUps = card().getByRole('table', { name: 'Top-ups' });
    const row = topUps.locator(`tr[data-top-up-id="${bought.id}"]`);
    expect((await rowCells(row)).slice(1)).toEqual(['20.00 CNY', AGENT, 'asked by the agent', 'paid']);
  });

  it('refuses a threshold of zero in words beside the field, and saves an automatic top-up the relay then has', async () => {
    await form().getByLabel('Agent that buys').selectOption({ label: AGENT });
    await form().getByLabel('When the balance falls below').fill('0');
    await form().getByLabel('Buy this much').fill('10.00');
    await form().getByRole('button', { name: 'Save automatic top-up' }).click();
    const threshold = form().getByLabel('When the balance falls below');
    await expect.poll(() => threshold.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await threshold.getAttribute('aria-describedby'))!.split(' ');
    const beside = await Promise.all(describedBy.map((id) => wallet.locator(`[id="${id}"]`).textContent()));
    expect(beside).toContain('the threshold must be more than 0.00 CNY: a top-up starts when the balance falls below it');
    expect(await form().getByRole('alert').textContent()).toBe('Nothing was saved. One field needs a change, as said beside it.');
    expect((await relayCredits()).autoTopUp).toBeNull();

    await threshold.fill('15.00');
    await form().getByRole('button', { name: 'Save automatic top-up' }).click();
    await form().getByRole('status').filter({ hasText: `Saved. When the balance falls below 15.00 CNY, ${AGENT} buys 10.00 CNY more under its mandate.` }).waitFor();
    expect(await form().getByRole('alert').count()).toBe(0);
    expect((await relayCredits()).autoTopUp).toEqual({ accountId, agent: { id: agent.id, name: AGENT }, threshold: CNY(15_00), amount: CNY(10_00) });
  });

  it('a settle below the threshold buys more automatically, and the page shows it as it happens', async () => {
    // Marks this document: a reload would lose it.
    await wallet.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await meter('req-4', 'tea-large', { amount: CNY(5_00) }); // 18.35 → 13.35, below 15.00

    const notice = section().getByRole('list', { name: 'Credit notices' }).getByRole('status');
    await notice.filter({ hasText: `Your credits at ${VENDOR} fell to 13.35 CNY, below the 15.00 CNY you set: ${AGENT} bought 10.00 CNY more automatically.` })
      .waitFor({ timeout: 20_000 });
    await expect.poll(() => balance().textContent(), { timeout: 20_000 }).toBe('23.35 CNY');
    const automatic = card().getByRole('table', { name: 'Top-ups' }).locator('tr[data-automatic="true"]');
    await automatic.first().waitFor();
    expect((await rowCells(automatic.first())).slice(1)).toEqual(['10.00 CNY', AGENT, 'automatic', 'paid']);
    expect(await wallet.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    await wallet.setViewportSize({ width: 1000, height: 1400 });
    await section().screenshot({ path: screenshotPath('wallet-credits.png') });
  });

  it('a failed automatic top-up is told with its reason, and the setting can be turned off', async () => {
    const agentCard = wallet.locator(`li[data-agent-name="${AGENT}"]`);
    await agentCard.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => agentCard.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('paused');

    await meter('req-5', 'tea-large', { amount: CNY(9_00) }); // 23.35 → 14.35, below 15.00 again
    const alert = section().getByRole('list', { name: 'Credit notices' }).getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.textContent()).toMatch(
      new RegExp(`^Your credits at ${VENDOR} fell to 14\\.35 CNY, below the 15\\.00 CNY you set, and the automatic top-up of 10\\.00 CNY by ${AGENT} failed: .*paused.*\\.$`),
    );
    const failed = card().getByRole('table', { name: 'Top-ups' }).locator('tr[data-status="failed"]');
    await failed.waitFor({ timeout: 20_000 });
    expect((await rowCells(failed)).slice(1, 4)).toEqual(['10.00 CNY', AGENT, 'automatic']);
    expect((await rowCells(failed))[4]).toMatch(/^failed: .*paused/);
    await expect.poll(() => balance().textContent()).toBe('14.35 CNY');
    expect(await card().getByRole('note').textContent()).toBe('Below the 15.00 CNY you set for an automatic top-up: see the latest top-up below.');

    await form().getByRole('button', { name: 'Turn off' }).click();
    await form().getByRole('status').filter({ hasText: 'Automatic top-up is off.' }).waitFor();
    expect((await relayCredits()).autoTopUp).toBeNull();
    expect(await wallet.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('a top-up beyond the budget waits for your approval in the window, then is paid', async () => {
    const agentCard = wallet.locator(`li[data-agent-name="${AGENT}"]`);
    await agentCard.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => agentCard.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('active');

    // 30.00 CNY of the 100.00 budget is spent: 80.00 more is the user's to decide.
    const held = await agent.client.post<TopUp>('/v1/agents/me/top-ups', { vendorId: vendor.id, amount: CNY(80_00) });
    expect(held.status).toBe('held');
    const row = card().getByRole('table', { name: 'Top-ups' }).locator(`tr[data-top-up-id="${held.id}"]`);
    await expect.poll(() => row.locator('td').last().textContent(), { timeout: 20_000 }).toBe('waiting for your approval');
    expect((await rowCells(row)).slice(1, 4)).toEqual(['80.00 CNY', AGENT, 'asked by the agent']);

    await answerInWindow(system, '80.00 CNY', 'Approve');
    await expect.poll(() => row.locator('td').last().textContent(), { timeout: 20_000 }).toBe('paid');
    await expect.poll(() => balance().textContent(), { timeout: 20_000 }).toBe('94.35 CNY');
  });
});
