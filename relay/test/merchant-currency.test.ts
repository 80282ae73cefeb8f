import { generateSigningKey, type Merchant, type MerchantRegistered, type MerchantWithKey, RelayHttpClient } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { migrate } from '../src/store/migrate.ts';
import { dropSchema, startTestRelay, STORES } from './harness.ts';
import { type MerchantKey, proofOf, startOriginServer } from './origin-proof.ts';

/**
 * A merchant may register the currency it prices in, so a wallet can tell whose "¥" or "$" a
 * total means. Every answer naming the merchant carries it (null when none was registered),
 * on both stores, and a currency that is not an upper-case ISO 4217 code is refused naming it.
 */
describe.each(STORES)('a merchant’s registered currency, on %s', (store) => {
  let relay: Relay;
  let anon: RelayHttpClient;
  beforeAll(async () => {
    relay = await startTestRelay(store);
    anon = new RelayHttpClient(relay.httpUrl, undefined);
  });
  afterAll(() => dropSchema(relay));

  const register = (key: MerchantKey, body: Record<string, unknown>) =>
    anon.as({ id: 'self', privateKey: key.privateKey }).send('POST', '/v1/merchants', { publicKey: key.publicJwk, ...body });
  const registered = async (key: MerchantKey, body: Record<string, unknown>) => {
    const response = await register(key, body);
    expect(response.status).toBe(201);
    return (await response.json()) as MerchantRegistered;
  };
  const byId = (id: string) => anon.get<MerchantWithKey>(`/v1/merchants/${id}`);

  it('is answered as registered, by id and by proven origin', async () => {
    const shop = await startOriginServer();
    try {
      const key = await generateSigningKey();
      shop.answer(await proofOf(key, shop.origin));
      const merchant = await registered(key, { name: 'Tokyo Tea', origins: [shop.origin], currency: 'JPY' });
      expect(merchant.currency).toBe('JPY');
      expect((await byId(merchant.id)).currency).toBe('JPY');
      const { merchants } = await anon.get<{ merchants: Merchant[] }>(`/v1/merchants?origin=${encodeURIComponent(shop.origin)}`);
      expect(merchants.map((m) => [m.id, m.currency])).toEqual([[merchant.id, 'JPY']]);
    } finally {
      await shop.close();
    }
  });

  it('is null when the merchant registered none, and registering again replaces it', async () => {
    const key = await generateSigningKey();
    const plain = await registered(key, { name: 'Plain Shop', origins: [] });
    expect(plain.currency).toBeNull();
    expect((await byId(plain.id)).currency).toBeNull();

    const priced = await registered(key, { name: 'Plain Shop', origins: [], currency: 'SEK' });
    expect(priced.id).toBe(plain.id);
    expect((await byId(plain.id)).currency).toBe('SEK');
    const dropped = await registered(key, { name: 'Plain Shop', origins: [] });
    expect(dropped.currency).toBeNull();
  });

  it.each([['cny'], ['YUAN'], ['¥'], ['C1Y'], [''], [840]])('refuses currency %j with a 400 naming the field', async (currency) => {
    const key = await generateSigningKey();
    const response = await register(key, { name: 'Odd Shop', origins: [], currency });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string; details?: { path: string }[] } };
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('currency');
    expect(error.details?.map((d) => d.path)).toContain('currency');
  });

  it('reads as null for merchants a relay stored before it kept currencies', async () => {
    const key = await generateSigningKey();
    const merchant = await registered(key, { name: 'Older Shop', origins: [], currency: 'CNY' });
    // The store as an older relay left it: no column, migration 010 not applied.
    await relay.ctx.db.query('ALTER TABLE merchants DROP COLUMN currency');
    await relay.ctx.db.query(`DELETE FROM schema_migrations WHERE name = '010_merchant_currency.sql'`);
    expect(await migrate(relay.ctx.db)).toEqual(['010_merchant_currency.sql']);
    expect((await byId(merchant.id)).currency).toBeNull();
  });
});
