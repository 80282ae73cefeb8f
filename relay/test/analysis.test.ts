import { describeCategoryChange, type Intent, signCanonical, type SpendingAnalysis } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { answer, cart, dropSchema, type Party, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';
import { seedSpendingHistory, type WalletHands } from './spending-history.ts';
import type { Wallet } from '@agentpay/protocol';

const NOW = new Date('2026-11-29T12:00:00Z'); // 20:00 on 29 November in Shanghai
const ZONE = 'Asia/Shanghai';

const hands = (wallet: Party<Wallet>): WalletHands => ({
  id: wallet.record.id, client: wallet.client, sign: (document) => signCanonical(document, wallet.signer.privateKey, wallet.record.id),
});

describe.each(STORES)('the spending analysis on %s', (store) => {
  let relay: Relay;
  let clock = NOW.getTime();
  const setClock = (at: Date) => (clock = at.getTime());
  let seeded: Awaited<ReturnType<typeof setUpParties>>;
  let cast: Awaited<ReturnType<typeof seedSpendingHistory>>;
  const analysis = (wallet: Party<Wallet>, zone = ZONE) => wallet.client.get<SpendingAnalysis>(`/v1/wallet/analysis?timeZone=${encodeURIComponent(zone)}`);

  beforeAll(async () => {
    relay = await startTestRelay(store, {}, { now: () => new Date(clock) });
    seeded = await setUpParties(relay);
    cast = await seedSpendingHistory(relay, hands(seeded.wallet), setClock, NOW, ZONE);
  });
  afterAll(() => dropSchema(relay));

  it('compares this month with last by category, net of refunds, in the user time zone', async () => {
    const result = await analysis(seeded.wallet);
    expect(result.thisMonth).toEqual({ key: '2026-11', start: '2026-10-31T16:00:00.000Z', end: '2026-11-30T16:00:00.000Z' });
    expect(result.lastMonth.key).toBe('2026-10');
    expect(result.byCategory.map(describeCategoryChange)).toEqual([
      'transport 140.00 CNY, up 40%',
      'groceries 90.00 CNY, new this month',
      'food and drink 85.00 CNY, new this month',
    ]);
  });

  it('ranks the merchants and agents this month and of all time; a wholly refunded payment is not one', async () => {
    const { topMerchants, topAgents } = await analysis(seeded.wallet);
    const rows = (shares: SpendingAnalysis['topAgents']['thisMonth']) => shares.map((s) => [s.name, s.minor, s.payments]);
    expect(rows(topMerchants.thisMonth)).toEqual([['City Taxi', 140_00, 3], ['Demo Tea Shop', 90_00, 3], ['Noodle Bar', 85_00, 1]]);
    expect(rows(topMerchants.allTime)).toEqual([['City Taxi', 240_00, 4], ['Demo Tea Shop', 90_00, 3], ['Noodle Bar', 85_00, 1]]);
    expect(rows(topAgents.thisMonth)).toEqual([['Errand agent', 140_00, 3], ['Tea buyer', 90_00, 3], ['Lunch agent', 85_00, 1]]);
  });

  it('notices the weekly tea and says when the next is due', async () => {
    const { recurring } = await analysis(seeded.wallet);
    expect(recurring).toEqual([{
      merchantId: cast.tea.record.id, merchantName: 'Demo Tea Shop', interval: 'weekly', amount: { minor: 30_00, currency: 'CNY' },
      occurrences: 3, lastAt: '2026-11-22T12:00:00.000Z', nextExpectedAt: '2026-11-28T16:00:00.000Z',
    }]);
  });

  it("shows each budget's standing and renewal, and plain suggestions from the records", async () => {
    const { budgets, suggestions } = await analysis(seeded.wallet);
    expect(budgets.map((b) => [b.actorName, b.spent.minor, b.left.minor, b.usedPercent, b.renewsAt])).toEqual([
      ['Tea buyer', 90_00, 910_00, 9, '2026-11-30T16:00:00.000Z'],
      ['Lunch agent', 85_00, 15_00, 85, '2026-11-30T16:00:00.000Z'],
    ]);
    expect(suggestions.map((s) => s.text)).toEqual([
      'Lunch agent has used 85% of its monthly budget of 100.00 CNY: 15.00 CNY left until it renews on 1 December.',
      'Errand agent asked you to confirm 3 payments at City Taxi in the last 30 days and you approved every one: a rule for City Taxi would save you those clicks.',
      'You buy from Demo Tea Shop every week (30.00 CNY, 3 times so far): the next is likely around 29 November.',
    ]);
  });

  it("what a budget has left is what the relay's decisions allow", async () => {
    const own = await setUpParties(relay);
    const { lunch, noodles } = await seedSpendingHistory(relay, hands(own.wallet), setClock, NOW, ZONE);
    const [standing] = (await analysis(own.wallet)).budgets.filter((b) => b.actorName === 'Lunch agent');
    expect(standing!.left).toEqual({ minor: 15_00, currency: 'CNY' });
    const above = await lunch.client.post<Intent>('/v1/intents', cart(noodles.record.id, standing!.left.minor + 1, { category: 'food' }));
    expect(above.status).toBe('pending_confirmation');
    const within = await lunch.client.post<Intent>('/v1/intents', cart(noodles.record.id, standing!.left.minor, { category: 'food' }));
    expect(within.status).toBe('approved');
    const after = (await analysis(own.wallet)).budgets.find((b) => b.actorName === 'Lunch agent');
    expect(after).toMatchObject({ left: { minor: 0 }, usedPercent: 100 });
  });

  it('counts a charge in the month it was made where the user lives', async () => {
    const { wallet, agent, merchant } = await setUpParties(relay);
    setClock(new Date('2026-10-31T20:00:00Z')); // 04:00 on 1 November in Shanghai, still October in London
    await setMandate(wallet, agent.record.id, { kind: 'confirm_each', issuedAt: new Date(clock).toISOString() });
    const held = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 10_00, { category: 'parking' }));
    await answer(wallet, held, 'approve');
    const { token } = await agent.client.get<Intent>(`/v1/intents/${held.id}`);
    await merchant.client.post('/v1/merchant/charges', { token: token!.secret, amount: { minor: 10_00, currency: 'CNY' } });
    setClock(NOW);
    expect((await analysis(wallet, 'Asia/Shanghai')).byCategory).toEqual([{ category: 'parking', currency: 'CNY', thisMonthMinor: 10_00, lastMonthMinor: 0, changePercent: null }]);
    expect((await analysis(wallet, 'Europe/London')).byCategory).toEqual([{ category: 'parking', currency: 'CNY', thisMonthMinor: 0, lastMonthMinor: 10_00, changePercent: -100 }]);
  });

  it("shows a wallet nothing of another wallet's records", async () => {
    const stranger = await setUpParties(relay);
    const result = await analysis(stranger.wallet);
    expect([result.byCategory, result.topMerchants.allTime, result.topAgents.allTime, result.recurring, result.budgets, result.suggestions]).toEqual([[], [], [], [], [], []]);
  });

  it('is in the OpenAPI document with its timeZone parameter', async () => {
    const doc = await seeded.wallet.client.get<{ paths: Record<string, { get: { parameters: { name: string; required?: boolean }[] } }> }>('/v1/openapi.json');
    expect(doc.paths['/v1/wallet/analysis']!.get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'timeZone' })]));
  });

  it.each([
    ['missing', ''],
    ['not a zone', '?timeZone=Nowhere%2FLand'],
    ['an offset, not an IANA name', '?timeZone=%2B08%3A00'],
    ['empty', '?timeZone='],
  ])('refuses a time zone that is %s with a 400 naming timeZone', async (_name, query) => {
    const response = await seeded.wallet.client.send('GET', `/v1/wallet/analysis${query}`);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.message).toContain('timeZone');
    expect(body.error.details).toEqual([expect.objectContaining({ path: 'timeZone' })]);
  });
});
