import { type ConfirmationRequest, generateSigningKey, type Intent } from '@agentpay/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { answer, cart, dropSchema, setUpParties, startTestRelay, STORES } from './harness.ts';
import { type OriginServer, provenShop, registerMerchant } from './origin-proof.ts';

/**
 * Names and line items reach the user's confirmation window: they are stored
 * the way they read, what could mislead is refused, and a name that looks like
 * an established merchant's is flagged to the wallet.
 */
describe.each(STORES)('merchant names and line items on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;
  const servers: OriginServer[] = [];

  beforeAll(async () => {
    relay = await startTestRelay(store);
    parties = await setUpParties(relay);
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  afterAll(() => dropSchema(relay));

  /** A payment to `merchantId` held for the wallet (the agent has no mandate), and its confirmation request. */
  async function held(merchantId: string, extra: Record<string, unknown> = {}) {
    const intent = await parties.agent.client.post<Intent>('/v1/intents', cart(merchantId, 12_00, extra));
    expect(intent.status).toBe('pending_confirmation');
    const { confirmations } = await parties.wallet.client.get<{ confirmations: ConfirmationRequest[] }>('/v1/wallet/confirmations');
    return { intent, request: confirmations.find((c) => c.intentId === intent.id)! };
  }

  it('refuses a merchant name with a bidirectional override or a control character, naming the field', async () => {
    for (const [name, problem] of [['Demo Tea \u202Epohs', /U\+202E/], ['Demo\u0007Tea', /U\+0007/], ['\u200B\u200B', /name is required/]] as const) {
      const key = await generateSigningKey();
      const refused = registerMerchant(relay, name, [], key);
      await expect(refused).rejects.toMatchObject({ status: 400, code: 'invalid_request', message: expect.stringMatching(problem) });
      await expect(refused).rejects.toMatchObject({ details: [{ path: 'name', message: expect.stringMatching(problem) }] });
    }
  });

  it('stores names and line items the way they read', async () => {
    const shop = await registerMerchant(relay, '  Ｔｅａ\u200B  House\u00A0 ', []);
    expect(shop.record.name).toBe('Tea House');
    const { intent, request } = await held(shop.record.id, {
      lineItems: [{ name: 'Yixing\u200B clay\tteapot\u200F', quantity: 1, unitMinor: 12_00 }],
    });
    expect(intent.lineItems).toEqual([{ name: 'Yixing clay teapot', quantity: 1, unitMinor: 12_00 }]);
    expect(request.merchant.name).toBe('Tea House');
    expect(request.claims.lineItems[0]!.name).toBe('Yixing clay teapot');
    // The wallet approves exactly what it was shown.
    expect((await answer(parties.wallet, intent, 'approve')).status).toBe('approved');
  });

  it('refuses a line item name with a bidirectional isolate, naming the item, and records nothing', async () => {
    const before = await parties.wallet.client.get<{ confirmations: ConfirmationRequest[] }>('/v1/wallet/confirmations');
    const refused = parties.agent.client.post('/v1/intents', cart(parties.merchant.record.id, 12_00, {
      lineItems: [{ name: 'teapot \u2067(gift)\u2069', quantity: 1, unitMinor: 12_00 }],
    }));
    await expect(refused).rejects.toMatchObject({ status: 400, details: [{ path: 'lineItems.0.name', message: expect.stringContaining('U+2067') }] });
    const after = await parties.wallet.client.get<{ confirmations: ConfirmationRequest[] }>('/v1/wallet/confirmations');
    expect(after.confirmations.length).toBe(before.confirmations.length);
  });

  it("flags a name that imitates an established merchant's, on the imitation's payments only", async () => {
    const { server, merchant: owner } = await provenShop(relay, 'Demo Tea Shop');
    servers.push(server);
    // Cyrillic "е" and "о", a zero-width space, other case and spacing: all look like the shop's name.
    // So do variation selectors, a braille blank for a space, and punctuation or accents a reader passes over.
    const imitations = await Promise.all(
      ['Dеmо Tea Shop', 'DEMO TEA\u200B SHOP', 'demo  teashop', 'Demo Tea Shop\uFE0F', 'Demo Tea Sho\u{E0100}p', 'Demo\u2800Tea Shop', 'Demo-Tea Shop.', 'Démo Tea Shop']
        .map((name) => registerMerchant(relay, name, [])),
    );
    const ownerEntry = { id: owner.record.id, name: 'Demo Tea Shop', provenOrigins: [server.origin] };
    for (const imitation of imitations) {
      expect((await held(imitation.record.id)).request.merchant).toMatchObject({ id: imitation.record.id, provenOrigins: [], lookalikes: [ownerEntry] });
    }
    // An imitation that proves an origin of its own is still flagged; the shop it copies never is.
    const { server: elsewhere, merchant: provenCopy } = await provenShop(relay, 'Dеmо Tea Shop');
    servers.push(elsewhere);
    expect((await held(provenCopy.record.id)).request.merchant.lookalikes).toEqual([ownerEntry]);
    expect((await held(owner.record.id)).request.merchant).toMatchObject({ provenOrigins: [server.origin], lookalikes: [] });
    // A different name is not flagged.
    const other = await registerMerchant(relay, 'Demo Coffee Shop', []);
    expect((await held(other.record.id)).request.merchant.lookalikes).toEqual([]);
  });
});
