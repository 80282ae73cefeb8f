import { generateSigningKey, type Merchant, RelayHttpClient, type WalletMerchants } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

describe.each(STORES)('the merchants a wallet can pick by name, on %s', (store) => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startTestRelay(store);
  });
  afterAll(() => dropSchema(relay));

  const registerMerchant = async (name: string) => {
    const key = await generateSigningKey();
    const anon = new RelayHttpClient(relay.httpUrl, undefined);
    return anon.as({ id: 'self', privateKey: key.privateKey }).post<Merchant>('/v1/merchants', { name, publicKey: key.publicJwk });
  };

  it("lists the merchants of the wallet's payments and of its mandates, by name, and never another wallet's", async () => {
    const mine = await setUpParties(relay);
    const theirs = await setUpParties(relay);
    const garage = await registerMerchant('Corner Garage');
    const casino = await registerMerchant('Lucky Casino');
    const stranger = await registerMerchant('Nobody Asked');

    // One payment at the wallet's shop; a rule that names the garage; a block on the casino.
    await setMandate(mine.wallet, mine.agent.record.id, {
      kind: 'rules',
      rules: [{ id: 'fuel', currency: 'CNY', maxPerPaymentMinor: 300_00, merchants: { allow: [garage.id] } }],
      block: { merchants: [casino.id], categories: [] },
    });
    await mine.agent.client.post('/v1/intents', cart(mine.merchant.record.id, 12_00));
    // The other wallet pays its own shop.
    await setMandate(theirs.wallet, theirs.agent.record.id, { kind: 'confirm_each' });
    await theirs.agent.client.post('/v1/intents', cart(theirs.merchant.record.id, 5_00));
    await relay.ctx.db.query(`UPDATE merchants SET proven_origins = '["http://127.0.0.1:8788"]'::jsonb WHERE id = $1`, [mine.merchant.record.id]);

    const { merchants } = await mine.wallet.client.get<WalletMerchants>('/v1/wallet/merchants');
    expect(merchants).toEqual([
      { id: garage.id, name: 'Corner Garage', provenSites: [] },
      { id: mine.merchant.record.id, name: 'Demo Shop', provenSites: ['http://127.0.0.1:8788'] },
      { id: casino.id, name: 'Lucky Casino', provenSites: [] },
    ]);
    const ids = merchants.map((m) => m.id);
    expect(ids).not.toContain(theirs.merchant.record.id);
    expect(ids).not.toContain(stranger.id);

    const other = await theirs.wallet.client.get<WalletMerchants>('/v1/wallet/merchants');
    expect(other.merchants.map((m) => m.id)).toEqual([theirs.merchant.record.id]);
  });

  it('is empty for a wallet that has neither paid nor named anyone', async () => {
    const fresh = await setUpParties(relay);
    expect(await fresh.wallet.client.get<WalletMerchants>('/v1/wallet/merchants')).toEqual({ merchants: [] });
  });

  it('answers only a signed wallet', async () => {
    const response = await fetch(`${relay.httpUrl}/v1/wallet/merchants`);
    expect(response.status).toBe(401);
  });
});
