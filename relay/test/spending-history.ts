import { type Actor, type Category, type Charge, type Intent, type Merchant, generateSigningKey, RelayHttpClient } from '@agentpay/protocol';
import { localTime, midnight, periodStart } from '../src/mandates/clock.ts';
import type { Relay } from '../src/relay.ts';

/**
 * What the seeding needs of the user's wallet: a client that signs requests as the wallet, and its
 * signature over a document (a mandate, an approval). The relay tests hold the wallet key; the e2e
 * test signs with the extension's own key inside an extension page.
 */
export interface WalletHands {
  id: string;
  client: Pick<RelayHttpClient, 'post' | 'put' | 'get'>;
  sign(document: unknown): Promise<string>;
}

/** Moves the relay's clock; every request after it is signed and recorded at that instant. */
export type SetClock = (at: Date) => void;

const DAY = 86_400_000;

/** The instants the history is laid on, from the user's `now` and time zone, so it fits any day it runs. */
export function historyDates(now: Date, timeZone: string) {
  const monthStart = periodStart(now, 'month', timeZone);
  const t = localTime(monthStart, timeZone);
  const lastMonthStart = midnight(t.year, t.month - 1, 1, timeZone);
  // Between the middle of what has passed of this month and now: this month, and within the last 30 days.
  const thisMonth = (share: number) => new Date(monthStart.getTime() + (now.getTime() - monthStart.getTime()) * (0.5 + share / 2));
  return {
    start: new Date(Math.min(lastMonthStart.getTime(), now.getTime() - 30 * DAY) - DAY),
    lastMonth: new Date(lastMonthStart.getTime() + 2 * DAY + 10 * 3_600_000),
    thisMonth,
    weeksAgo: (weeks: number) => new Date(now.getTime() - weeks * 7 * DAY),
  };
}

/**
 * A few weeks of a wallet's life, through the relay's own API with its clock moved back:
 * - Tea buyer (a 1000.00 CNY monthly budget) buys the same 30.00 CNY tea at Demo Tea Shop every week, three weeks running;
 * - Lunch agent (a 100.00 CNY monthly budget) spends 85.00 CNY on food this month, and a 20.00 CNY meal refunded in full;
 * - Errand agent (asks for everything) took a 100.00 CNY taxi last month and three this month, 40 + 50 + 50 = 140.00 CNY
 *   (the second charged 60.00, then 10.00 refunded by the taxi firm), each approved by the user: transport is up 40%.
 * Ends with the clock at `now`.
 */
export async function seedSpendingHistory(relay: Relay, wallet: WalletHands, setClock: SetClock, now: Date, timeZone: string) {
  const at = historyDates(now, timeZone);
  setClock(at.start);
  const anon = new RelayHttpClient(relay.httpUrl, undefined, { now: () => relay.ctx.now().getTime() });

  const merchant = async (name: string) => {
    const key = await generateSigningKey();
    const record = await anon.as({ id: 'self', privateKey: key.privateKey }).post<Merchant>('/v1/merchants', { name, publicKey: key.publicJwk, origins: [] });
    return { record, client: anon.as({ id: record.id, privateKey: key.privateKey }) };
  };
  const agent = async (name: string, mandate: Record<string, unknown>) => {
    const key = await generateSigningKey();
    const record = await wallet.client.post<Actor>('/v1/wallet/actors', { kind: 'agent', name, publicKey: key.publicJwk });
    const document = { v: 1, walletId: wallet.id, actorId: record.id, issuedAt: relay.ctx.now().toISOString(), ...mandate };
    await wallet.client.put(`/v1/wallet/actors/${record.id}/mandate`, { jws: await wallet.sign(document) });
    return { record, client: anon.as({ id: record.id, privateKey: key.privateKey }) };
  };
  type Hands = { record: { id: string }; client: RelayHttpClient };

  /** The agent asks, the user approves if asked, the merchant charges `charged` (default: the amount). */
  const pay = async (when: Date, buyer: Hands, shop: Hands, minor: number, category: Category, charged = minor) => {
    setClock(when);
    let intent = await buyer.client.post<Intent>('/v1/intents', {
      merchantId: shop.record.id, amount: { minor, currency: 'CNY' }, lineItems: [{ name: `${category} purchase`, quantity: 1, unitMinor: minor }], category, channel: 'api',
    });
    if (intent.status === 'pending_confirmation') {
      const claims = { type: 'agentpay.approval.v1', intentId: intent.id, decision: 'approve', merchantId: intent.merchantId, amount: intent.amount, lineItems: intent.lineItems, category: intent.category };
      await wallet.client.post(`/v1/intents/${intent.id}/confirmation`, { jws: await wallet.sign(claims) });
      intent = await buyer.client.get<Intent>(`/v1/intents/${intent.id}`);
    }
    if (intent.status !== 'approved' || !intent.token) throw new Error(`seeding: ${intent.id} is ${intent.status}, not approved with a token`);
    const charge = await shop.client.post<Charge>('/v1/merchant/charges', { token: intent.token.secret, amount: { minor: charged, currency: 'CNY' } });
    return { intent, charge };
  };

  const tea = await merchant('Demo Tea Shop');
  const taxi = await merchant('City Taxi');
  const noodles = await merchant('Noodle Bar');
  // Each budget names its shop, so the relay knows the merchant and the budget pays from the first purchase on.
  const teaBuyer = await agent('Tea buyer', { kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'month', timeZone, merchants: [tea.record.id] });
  const lunch = await agent('Lunch agent', { kind: 'quota', budget: { minor: 100_00, currency: 'CNY' }, period: 'month', timeZone, merchants: [noodles.record.id] });
  const errands = await agent('Errand agent', { kind: 'confirm_each' });

  // In the order they happened: the relay's clock only moves forward, as a real one does.
  const events: [Date, () => Promise<unknown>][] = [
    [at.lastMonth, () => pay(at.lastMonth, errands, taxi, 100_00, 'transport')],
    ...[3, 2, 1].map((weeks): [Date, () => Promise<unknown>] => [at.weeksAgo(weeks), () => pay(at.weeksAgo(weeks), teaBuyer, tea, 30_00, 'groceries')]),
    [at.thisMonth(0.1), () => pay(at.thisMonth(0.1), errands, taxi, 40_00, 'transport')],
    [at.thisMonth(0.2), async () => {
      const overcharged = await pay(at.thisMonth(0.2), errands, taxi, 60_00, 'transport');
      await taxi.client.post(`/v1/merchant/charges/${overcharged.charge.id}/refunds`, { amount: { minor: 10_00, currency: 'CNY' } });
    }],
    [at.thisMonth(0.3), () => pay(at.thisMonth(0.3), errands, taxi, 50_00, 'transport')],
    [at.thisMonth(0.4), () => pay(at.thisMonth(0.4), lunch, noodles, 85_00, 'food')],
    [at.thisMonth(0.5), async () => {
      const returned = await pay(at.thisMonth(0.5), lunch, noodles, 20_00, 'food');
      await wallet.client.post(`/v1/wallet/records/${returned.intent.id}/reverse`, { reason: 'the order never came' });
    }],
  ];
  for (const [, happen] of events.sort(([a], [b]) => a.getTime() - b.getTime())) await happen();
  setClock(now);
  return { tea, taxi, noodles, teaBuyer, lunch, errands };
}
