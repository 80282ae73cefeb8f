import { generateSigningKey, type Intent, type Merchant, type MerchantWithKey } from '@agentpay/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { answer, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/**
 * A checkout's category must not depend on its shape (issue 11, item 5). The card form states no
 * category; Payment Request and HTTP 402 carry the shop's own payment data, which does. The relay
 * takes, when none is stated, the merchant's registered default, else `other`.
 */
describe.each(STORES)('a payment\'s category comes from what the merchant states, on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;
  let teaShop: Merchant;
  beforeAll(async () => {
    relay = await startTestRelay(store, { riskMaxIntentsPerMinute: 1e9, riskAmountFactor: 1e9, riskSpendFactor: 1e9 });
  });
  beforeEach(async () => {
    parties = await setUpParties(relay);
    const key = await generateSigningKey();
    teaShop = await parties.wallet.client
      .as({ id: 'self', privateKey: key.privateKey })
      .post<Merchant>('/v1/merchants', { name: 'Demo Tea Shop', publicKey: key.publicJwk, category: 'physical_goods' });
  });
  afterAll(() => dropSchema(relay));

  /** The same tea, as the card form sends it (no category) or as the shop's payment data states it. */
  const tea = (shape: 'card form' | 'payment data', merchantId = teaShop.id) => {
    const { category, ...body } = cart(merchantId, 58_00);
    return parties.agent.client.post<Intent>('/v1/intents', shape === 'card form' ? body : { ...body, category });
  };

  it('registers and answers the merchant\'s default category (null when none), and refuses an unknown one naming the field', async () => {
    expect(teaShop.category).toBe('physical_goods');
    expect((await parties.wallet.client.get<MerchantWithKey>(`/v1/merchants/${teaShop.id}`)).category).toBe('physical_goods');
    expect((await parties.wallet.client.get<MerchantWithKey>(`/v1/merchants/${parties.merchant.record.id}`)).category).toBeNull();
    const key = await generateSigningKey();
    const refused = await parties.wallet.client
      .as({ id: 'self', privateKey: key.privateKey })
      .send('POST', '/v1/merchants', { name: 'Odd Shop', publicKey: key.publicJwk, category: 'tea' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('category');
  });

  it('gives the same tea the same category through the card form and through the shop\'s payment data', async () => {
    const byCard = await tea('card form');
    const byPaymentData = await tea('payment data');
    expect(byCard.category).toBe('physical_goods');
    expect(byPaymentData.category).toBe('physical_goods');
  });

  it('a physical-goods budget treats both the same: both approved by it, both counted against it', async () => {
    // Paid once before with the user's approval, so the risk checks hold neither for a first payment to a new shop.
    await answer(parties.wallet, await parties.agent.client.post<Intent>('/v1/intents', cart(teaShop.id, 1_00)), 'approve');
    await setMandate(parties.wallet, parties.agent.record.id, {
      kind: 'quota', budget: { minor: 500_00, currency: 'CNY' }, period: 'month', timeZone: 'Asia/Shanghai', categories: ['physical_goods'],
    });
    const byCard = await tea('card form');
    const byPaymentData = await tea('payment data');
    expect([byCard.status, byPaymentData.status]).toEqual(['approved', 'approved']);
    expect([byCard.decision.reasons[0]?.code, byPaymentData.decision.reasons[0]?.code]).toEqual(['quota', 'quota']);
    const { actors } = await parties.wallet.client.get<{ actors: { id: string; mandate: { spent: { minor: number } | null } | null }[] }>('/v1/wallet/actors');
    expect(actors.find((a) => a.id === parties.agent.record.id)?.mandate?.spent?.minor).toBe(116_00);
  });

  it('keeps a category the checkout states, and falls back to other at a merchant that registered none', async () => {
    const stated = await parties.agent.client.post<Intent>('/v1/intents', cart(teaShop.id, 12_00, { category: 'food' }));
    expect(stated.category).toBe('food');
    const { category: _none, ...unstated } = cart(parties.merchant.record.id, 12_00);
    expect((await parties.agent.client.post<Intent>('/v1/intents', unstated)).category).toBe('other');
  });
});
