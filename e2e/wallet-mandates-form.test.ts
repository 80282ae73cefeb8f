import type { Decision, MandateDocument } from '@agentpay/protocol';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../relay/test/harness.ts';
import { agentPlacesOrder, answerInWindow, closeTab, startSystem, type System } from './system.ts';

/**
 * Mandates made through the AI Wallet page only, as a person would: every rule
 * kind the relay supports, merchants picked by name, the browser's time zone
 * by default; each read back from the relay and, where a payment can show it,
 * paid or held by the relay accordingly. Agents are created, paused, resumed
 * and revoked from their cards.
 */
const TIME_ZONE = 'Asia/Shanghai';
const AGENT = 'Browser automation';
const SHOP = 'Demo Tea Shop';
const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), 'agentpay-mandates-'));

let system: System;
beforeAll(async () => {
  // Not UTC, so the form's default can only be the browser's own zone.
  system = await startSystem({ timeZone: TIME_ZONE });
  // A first payment, approved by the user: the wallet has now seen the shop, so the form offers it
  // by name and the relay's risk checks no longer call it new.
  const { page, orderId } = await orderAndPay({ longjing: 1 });
  await answerInWindow(system, '35.00 CNY', 'Approve');
  await until(() => system.shop.orders.get(orderId).status === 'paid');
  await closeTab(page);
}, 180_000);
afterAll(() => system?.close());

async function orderAndPay(quantities: Record<string, number>) {
  const page = await system.browser.context.newPage();
  const orderId = await agentPlacesOrder(page, system.shop, quantities);
  await page.getByRole('button', { name: 'Pay with Payment Request' }).click();
  return { page, orderId };
}

interface Decided {
  status: string;
  decision: Decision;
  category: string;
  orderStatus: string;
}

/**
 * The agent buys `quantities` through the shop's Payment Request button; answers what the relay
 * decided for it. A held payment is rejected in the window afterwards, so nothing waits on.
 */
async function agentPays(quantities: Record<string, number>, amount: string): Promise<Decided> {
  const count = async () => (await system.relay.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM intents'))[0]!.n;
  const before = await count();
  const { page, orderId } = await orderAndPay(quantities);
  await expect.poll(count, { timeout: 20_000 }).toBeGreaterThan(before);
  const [row] = await system.relay.ctx.db.query<{ status: string; decision: Decision; category: string }>(
    'SELECT status, decision, category FROM intents ORDER BY created_at DESC LIMIT 1',
  );
  if (row!.status === 'approved') await expect.poll(() => system.shop.orders.get(orderId).status, { timeout: 15_000 }).toBe('paid');
  const orderStatus = system.shop.orders.get(orderId).status;
  if (row!.status === 'pending_confirmation') await answerInWindow(system, amount, 'Reject');
  await closeTab(page);
  return { ...row!, orderStatus };
}

/** The mandate the relay holds now for the agent named `name`. */
async function mandateAtRelay(name: string): Promise<MandateDocument | null> {
  const [row] = await system.relay.ctx.db.query<{ document: MandateDocument }>(
    'SELECT m.document FROM mandates m JOIN actors a ON a.id = m.actor_id WHERE a.name = $1 AND m.superseded_at IS NULL',
    [name],
  );
  return row?.document ?? null;
}

async function actorStatus(name: string): Promise<string | undefined> {
  const [row] = await system.relay.ctx.db.query<{ status: string }>('SELECT status FROM actors WHERE name = $1', [name]);
  return row?.status;
}

async function openWallet(): Promise<Page> {
  const page = await system.browser.context.newPage();
  await page.goto(system.browser.url('wallet.html'));
  return page;
}

/** An agent's card, found by its heading as a person scans the page. */
const agentCard = (page: Page, name: string) =>
  page.getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true, level: 3 }) });

const sentenceOf = (card: Locator) => card.locator('p.summary').textContent();

/**
 * Opens the card's mandate form on `kind`. Fresh (the default): from blank, as a first mandate is,
 * by first saving "ask me" with nothing always declined, so what an earlier test set cannot leak in.
 */
async function editMandate(card: Locator, kind: 'confirm_each' | 'rules' | 'quota', { fresh = true } = {}): Promise<Locator> {
  const form = card.getByRole('form', { name: `Mandate for ${AGENT}` });
  if (fresh) {
    await card.getByRole('button', { name: 'Edit mandate' }).click();
    await form.getByLabel('Mandate kind').selectOption('confirm_each');
    const blocks = form.getByRole('group', { name: /to decline$/ }).getByRole('checkbox', { checked: true });
    for (let left = await blocks.count(); left > 0; left--) await blocks.first().uncheck();
    await save(form, card);
  }
  await card.getByRole('button', { name: 'Edit mandate' }).click();
  await form.getByLabel('Mandate kind').selectOption(kind);
  return form;
}

async function save(form: Locator, card: Locator) {
  await form.getByRole('button', { name: 'Save mandate' }).click();
  await form.waitFor({ state: 'detached' });
  await card.getByRole('button', { name: 'Edit mandate' }).waitFor();
}

/** HH:MM in the browser's zone, `minutes` from now, kept within today. */
function localTime(minutes: number): string {
  const shifted = new Date(Date.now() + minutes * 60_000);
  const now = new Date();
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, dateStyle: 'short' }).format(d);
  if (day(shifted) !== day(now)) return minutes < 0 ? '00:00' : '23:59';
  return new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(shifted);
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const today = () => new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, weekday: 'long' }).format(new Date());

describe('mandates made in the AI Wallet page', () => {
  it("a budget starts in the browser's own time zone, can be changed, and every mistake is a sentence beside its field", async () => {
    const wallet = await openWallet();
    const card = agentCard(wallet, AGENT);
    const form = await editMandate(card, 'quota');
    const zone = form.getByLabel('Time zone');
    expect(await zone.inputValue()).toBe(TIME_ZONE);
    // An empty budget looks empty: what to type is a hint read with the field, not grey text that passes for a value.
    const budget = form.getByLabel('Budget', { exact: true });
    expect([await budget.inputValue(), await budget.getAttribute('placeholder')]).toEqual(['', null]);
    const hintId = (await budget.getAttribute('aria-describedby'))?.split(' ')[0];
    expect(await form.locator(`[id="${hintId}"]`).textContent()).toBe('What it may spend each period, such as 500.00.');

    // Saved with no budget and a zone nobody has: nothing is saved, each field says what to do.
    await zone.fill('Mars/Olympus');
    await form.getByRole('button', { name: 'Save mandate' }).click();
    await form.getByRole('alert').filter({ hasText: 'Nothing was saved. 2 fields need a change, as said beside each.' }).waitFor();
    expect(await form.getByLabel('Budget', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await form.getByText('Enter an amount.', { exact: true }).waitFor();
    await form.getByText('“Mars/Olympus” is not a time zone; pick one from the list, such as Asia/Shanghai.').waitFor();

    // Each message goes as soon as its field is put right.
    await form.getByLabel('Budget', { exact: true }).fill('300');
    await form.getByText('Enter an amount.', { exact: true }).waitFor({ state: 'detached' });
    await form.getByRole('alert').filter({ hasText: 'One field needs a change, as said beside it.' }).waitFor();
    await zone.fill('Europe/Berlin');
    await form.getByRole('alert').waitFor({ state: 'detached' });
    await form.getByLabel('Period').selectOption('week');
    await save(form, card);
    expect(await mandateAtRelay(AGENT)).toMatchObject({ kind: 'quota', budget: { minor: 300_00, currency: 'CNY' }, period: 'week', timeZone: 'Europe/Berlin' });
    await expect.poll(() => sentenceOf(card)).toMatch(/^Browser automation may spend up to 300\.00 CNY a week \(Europe\/Berlin time\); anything else asks you\./);
    await closeTab(wallet);
  });

  it('a rule only at a shop picked by name, on physical goods, by browser, pays without asking; excepting the shop holds it', async () => {
    const wallet = await openWallet();
    const card = agentCard(wallet, AGENT);
    let form = await editMandate(card, 'rules');
    const rule = form.getByRole('group', { name: 'Rule 1' });
    await rule.getByLabel('Description').fill('Tea');
    await rule.getByLabel('Max per payment').fill('100.00');
    await rule.getByLabel('Merchants', { exact: true }).selectOption('only');
    await rule.getByRole('group', { name: 'Merchants: only these' }).getByRole('checkbox', { name: SHOP }).check();
    await rule.getByLabel('Categories', { exact: true }).selectOption('only');
    await rule.getByRole('group', { name: 'Categories: only these' }).getByRole('checkbox', { name: 'Physical goods' }).check();
    await rule.getByRole('group', { name: 'Started by' }).getByRole('checkbox', { name: 'browser' }).check();
    await save(form, card);

    expect(await mandateAtRelay(AGENT)).toMatchObject({
      kind: 'rules',
      rules: [{ id: 'rule-1', description: 'Tea', currency: 'CNY', maxPerPaymentMinor: 100_00, merchants: { allow: [system.shop.merchant.id] }, categories: { allow: ['physical_goods'] }, channels: ['browser'] }],
    });
    const sentence = 'Browser automation may pay up to 100.00 CNY a payment at Demo Tea Shop on physical goods by browser (“Tea”); anything else asks you.';
    await expect.poll(() => sentenceOf(card)).toBe(sentence);
    await card.screenshot({ path: join(SCREENSHOTS, 'agent-card-mandate-sentence.png') });

    const paid = await agentPays({ tieguanyin: 1 }, '58.00 CNY');
    expect(paid).toMatchObject({ status: 'approved', category: 'physical_goods', orderStatus: 'paid', decision: { ruleId: 'rule-1' } });

    // The same shop, now excepted: no rule allows it, so the relay asks the user.
    form = await editMandate(card, 'rules', { fresh: false });
    await form.getByLabel('Merchants', { exact: true }).selectOption('except');
    await save(form, card);
    expect(await mandateAtRelay(AGENT)).toMatchObject({ rules: [{ merchants: { deny: [system.shop.merchant.id] } }] });
    await expect.poll(() => sentenceOf(card)).toMatch(/anywhere but Demo Tea Shop/);
    const held = await agentPays({ tieguanyin: 1 }, '58.00 CNY');
    expect(held).toMatchObject({ status: 'pending_confirmation', orderStatus: 'unpaid' });
    expect(JSON.stringify(held.decision.reasons)).toContain('merchant is denied');
    await closeTab(wallet);
  }, 180_000);

  it('channels, while driving and excepted categories: a browser payment no rule allows is held', async () => {
    const wallet = await openWallet();
    const card = agentCard(wallet, AGENT);
    const form = await editMandate(card, 'rules');
    const first = form.getByRole('group', { name: 'Rule 1' });
    await first.getByLabel('Max per payment').fill('500');
    await first.getByRole('group', { name: 'Started by' }).getByRole('checkbox', { name: 'API' }).check();
    await first.getByRole('group', { name: 'Started by' }).getByRole('checkbox', { name: 'voice in a device' }).check();
    await form.getByRole('button', { name: 'Add rule' }).click();
    const second = form.getByRole('group', { name: 'Rule 2' });
    await second.getByLabel('Max per payment').fill('500');
    await second.getByRole('checkbox', { name: 'Only while the car is being driven' }).check();
    await form.getByRole('button', { name: 'Add rule' }).click();
    const third = form.getByRole('group', { name: 'Rule 3' });
    await third.getByLabel('Max per payment').fill('500');
    await third.getByLabel('Categories', { exact: true }).selectOption('except');
    // Ticking nothing is a mistake said beside the field.
    await form.getByRole('button', { name: 'Save mandate' }).click();
    await third.getByText('Tick at least one category, or choose “Any category”.').waitFor();
    await third.getByRole('group', { name: 'Categories: all but these' }).getByRole('checkbox', { name: 'Physical goods' }).check();
    await third.getByText('Tick at least one category, or choose “Any category”.').waitFor({ state: 'detached' });
    await form.screenshot({ path: join(SCREENSHOTS, 'mandate-form-rules.png') });
    await save(form, card);

    expect(await mandateAtRelay(AGENT)).toMatchObject({
      kind: 'rules',
      rules: [
        { id: 'rule-1', maxPerPaymentMinor: 500_00, channels: ['api', 'device-voice'] },
        { id: 'rule-2', maxPerPaymentMinor: 500_00, whileDriving: true },
        { id: 'rule-3', maxPerPaymentMinor: 500_00, categories: { deny: ['physical_goods'] } },
      ],
    });
    await expect.poll(() => sentenceOf(card)).toBe(
      'Browser automation may pay up to 500.00 CNY a payment by API or voice in a device; or up to 500.00 CNY a payment while driving; '
        + 'or up to 500.00 CNY a payment on anything but physical goods; anything else asks you.',
    );

    const held = await agentPays({ longjing: 1 }, '35.00 CNY');
    expect(held).toMatchObject({ status: 'pending_confirmation', orderStatus: 'unpaid' });
    const why = JSON.stringify(held.decision.reasons);
    expect(why).toContain('channel browser is not allowed');
    expect(why).toContain('only while driving');
    expect(why).toContain('category physical_goods is denied');
    await closeTab(wallet);
  }, 180_000);

  it("a time window on today, in the browser's zone, pays; the same window on another day holds", async () => {
    const wallet = await openWallet();
    const card = agentCard(wallet, AGENT);
    let form = await editMandate(card, 'rules');
    const rule = form.getByRole('group', { name: 'Rule 1' });
    await rule.getByLabel('Max per payment').fill('100');
    await rule.getByRole('checkbox', { name: 'Only at certain times' }).check();
    expect(await rule.getByLabel('Time zone').inputValue()).toBe(TIME_ZONE);
    await rule.getByRole('group', { name: 'Days' }).getByRole('checkbox', { name: today() }).check();
    const [start, end] = [localTime(-60), localTime(60)];
    await rule.getByLabel('From').fill(start);
    await rule.getByLabel('Until').fill(end);
    await save(form, card);
    const day = WEEKDAYS.indexOf(today());
    expect(await mandateAtRelay(AGENT)).toMatchObject({ rules: [{ timeWindow: { days: [day], start, end, timeZone: TIME_ZONE } }] });
    await expect.poll(() => sentenceOf(card)).toBe(`Browser automation may pay up to 100.00 CNY a payment on ${today()} from ${start} to ${end}; anything else asks you.`);
    expect(await agentPays({ longjing: 1 }, '35.00 CNY')).toMatchObject({ status: 'approved', orderStatus: 'paid' });

    form = await editMandate(card, 'rules', { fresh: false });
    const tomorrow = WEEKDAYS[(day + 1) % 7]!;
    await form.getByRole('group', { name: 'Days' }).getByRole('checkbox', { name: today() }).uncheck();
    await form.getByRole('group', { name: 'Days' }).getByRole('checkbox', { name: tomorrow }).check();
    await save(form, card);
    expect(await mandateAtRelay(AGENT)).toMatchObject({ rules: [{ timeWindow: { days: [(day + 1) % 7] } }] });
    const held = await agentPays({ longjing: 1 }, '35.00 CNY');
    expect(held).toMatchObject({ status: 'pending_confirmation', orderStatus: 'unpaid' });
    expect(JSON.stringify(held.decision.reasons)).toContain('outside its time window');
    await closeTab(wallet);
  }, 180_000);

  it('a budget with a per-payment max, covered categories and a trusted shop; a blocked shop is declined outright', async () => {
    const wallet = await openWallet();
    const card = agentCard(wallet, AGENT);
    let form = await editMandate(card, 'quota');
    await form.getByLabel('Budget', { exact: true }).fill('500');
    await form.getByLabel('Period').selectOption('month');
    await form.getByLabel('Max per payment').fill('50.00');
    await form.getByRole('group', { name: 'Categories the budget covers' }).getByRole('checkbox', { name: 'Physical goods' }).check();
    await form.getByRole('group', { name: 'Shops you trust' }).getByRole('checkbox', { name: SHOP }).check();
    await form.screenshot({ path: join(SCREENSHOTS, 'mandate-form-budget.png') });
    await save(form, card);
    expect(await mandateAtRelay(AGENT)).toMatchObject({
      kind: 'quota', budget: { minor: 500_00, currency: 'CNY' }, period: 'month', timeZone: TIME_ZONE, maxPerPaymentMinor: 50_00,
      categories: ['physical_goods'], merchants: [system.shop.merchant.id], block: { merchants: [], categories: [] },
    });
    await expect.poll(() => sentenceOf(card)).toMatch(
      /^Browser automation may spend up to 500\.00 CNY a month, at most 50\.00 CNY a payment on physical goods; anything else asks you\..* Demo Tea Shop is trusted from the first purchase\.$/,
    );
    expect(await agentPays({ longjing: 1 }, '35.00 CNY')).toMatchObject({ status: 'approved', orderStatus: 'paid' });
    const above = await agentPays({ tieguanyin: 1 }, '58.00 CNY');
    expect(above).toMatchObject({ status: 'pending_confirmation', orderStatus: 'unpaid' });
    expect(above.decision.reasons.map((r) => r.code)).toEqual(['quota_per_payment']);

    // Always decline the shop: the relay refuses without asking.
    form = await editMandate(card, 'quota', { fresh: false });
    await form.getByText('Always decline', { exact: true }).click();
    await form.getByRole('group', { name: 'Shops to decline' }).getByRole('checkbox', { name: SHOP }).check();
    await form.getByRole('group', { name: 'Categories to decline' }).getByRole('checkbox', { name: 'Travel' }).check();
    await save(form, card);
    expect(await mandateAtRelay(AGENT)).toMatchObject({ block: { merchants: [system.shop.merchant.id], categories: ['travel'] } });
    await expect.poll(() => sentenceOf(card)).toMatch(/Always declined: Demo Tea Shop; travel\.$/);
    const blocked = await agentPays({ longjing: 1 }, '35.00 CNY');
    expect(blocked).toMatchObject({ status: 'declined', orderStatus: 'unpaid' });
    expect(blocked.decision.reasons.map((r) => r.code)).toEqual(['merchant_blocked']);
    await closeTab(wallet);
  }, 180_000);
});

describe('agents managed from their cards', () => {
  it('creates an agent, which starts asking for every payment; revoking it is confirmed first and final', async () => {
    const wallet = await openWallet();
    await wallet.getByLabel('Agent name').fill('Tea buyer');
    await wallet.getByRole('button', { name: 'Create agent' }).click();
    await wallet.getByRole('status').filter({ hasText: 'Created Tea buyer.' }).waitFor();
    const card = agentCard(wallet, 'Tea buyer');
    await expect.poll(() => sentenceOf(card)).toBe('Tea buyer has no mandate yet: every payment asks you.');
    expect(await actorStatus('Tea buyer')).toBe('active');

    await card.getByRole('button', { name: 'Revoke' }).click();
    const confirm = card.getByRole('group', { name: 'Revoke Tea buyer?' });
    await confirm.getByRole('button', { name: 'Yes, revoke' }).click();
    await card.getByText('revoked', { exact: true }).waitFor();
    // The note about creating it is old news once something else was done.
    await wallet.getByRole('status').filter({ hasText: 'Created Tea buyer.' }).waitFor({ state: 'detached' });
    expect(await card.getByRole('button', { name: 'Edit mandate' }).count()).toBe(0);
    expect(await actorStatus('Tea buyer')).toBe('revoked');
    await closeTab(wallet);
  });

  it("pausing an agent declines its next payment at the relay; resuming lets it ask again", async () => {
    const wallet = await openWallet();
    const card = agentCard(wallet, AGENT);
    await save(await editMandate(card, 'confirm_each'), card);
    await card.getByRole('button', { name: 'Pause' }).click();
    await card.getByText('paused', { exact: true }).waitFor();
    expect(await actorStatus(AGENT)).toBe('paused');
    try {
      const declined = await agentPays({ longjing: 1 }, '35.00 CNY');
      expect(declined).toMatchObject({ status: 'declined', orderStatus: 'unpaid' });
      expect(declined.decision.reasons.map((r) => r.code)).toEqual(['agent_paused']);
    } finally {
      await card.getByRole('button', { name: 'Resume' }).click();
    }
    await card.getByText('active', { exact: true }).waitFor();
    expect(await actorStatus(AGENT)).toBe('active');
    expect(await agentPays({ longjing: 1 }, '35.00 CNY')).toMatchObject({ status: 'pending_confirmation' });
    await closeTab(wallet);
  }, 120_000);
});
