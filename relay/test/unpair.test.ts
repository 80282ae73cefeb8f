import { generateSigningKey, type Intent, RelayHttpClient, type Wallet, type WalletUnpaired } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check.ts';
import type { Relay } from '../src/relay.ts';
import { addActor, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

describe.each(STORES)('unpairing a wallet on %s', (store) => {
  let relay: Relay;
  // PGlite starts slowly on a busy machine.
  beforeAll(async () => {
    relay = await startTestRelay(store);
  }, 180_000);
  afterAll(() => dropSchema(relay));

  /** The wallet's answer to a request, as its status and error code. */
  const attempt = (promise: Promise<unknown>) => promise.then(() => ({ ok: true }), (error: { status?: number; code?: string }) => ({ status: error.status, code: error.code }));

  it('revokes its agents, declines the payments waiting for it, retires its key and keeps its records', async () => {
    const { wallet, merchant, agent } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, { kind: 'confirm_each' });
    const device = await addActor(relay, wallet.client, 'device', 'cockpit');
    const held = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 42_00));
    expect(held.status).toBe('pending_confirmation');

    const unpaired = await wallet.client.post<WalletUnpaired>('/v1/wallet/unpair', {});
    expect(unpaired).toEqual({
      walletId: wallet.record.id,
      revoked: [{ id: agent.record.id, name: 'Shopping agent' }, { id: device.record.id, name: 'Car' }],
      declinedPayments: 1,
    });

    // The held payment is declined, and the agent can ask for nothing more, not even to read it.
    const [intent] = await relay.ctx.db.query<{ status: string }>('SELECT status FROM intents WHERE id = $1', [held.id]);
    expect(intent!.status).toBe('declined');
    expect(await attempt(agent.client.post('/v1/intents', cart(merchant.record.id, 1_00)))).toMatchObject({ status: 403 });
    expect(await attempt(agent.client.get(`/v1/intents/${held.id}`))).toMatchObject({ status: 403 });
    // The wallet's key is nobody's now, for reads as for changes.
    expect(await attempt(wallet.client.get('/v1/wallet'))).toMatchObject({ status: 401 });
    expect(await attempt(wallet.client.post('/v1/wallet/actors', { kind: 'agent', name: 'Late', publicKey: (await generateSigningKey()).publicJwk }))).toMatchObject({ status: 401 });
    // The records stay, for the ledger and the audit trail.
    const [row] = await relay.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM intents WHERE wallet_id = $1', [wallet.record.id]);
    expect(row!.n).toBe(1);
    const audits = await relay.ctx.db.query<{ action: string }>("SELECT action FROM audit_log WHERE subject = $1 AND action = 'wallet.unpaired'", [wallet.record.id]);
    expect(audits).toHaveLength(1);
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
  }, 60_000);

  it('refuses to pair the retired key again, and a new key with the code pairs a new wallet', async () => {
    const anon = new RelayHttpClient(relay.httpUrl, undefined, { now: () => relay.ctx.now().getTime() });
    const key = await generateSigningKey();
    const asKey = anon.as({ id: 'self', privateKey: key.privateKey });
    const first = await asKey.post<Wallet>('/v1/wallets', { name: 'Browser', publicKey: key.publicJwk, pairingCode: relay.ctx.pairingCode });
    await anon.as({ id: first.id, privateKey: key.privateKey }).post('/v1/wallet/unpair', {});

    const again = await attempt(asKey.post('/v1/wallets', { name: 'Browser', publicKey: key.publicJwk, pairingCode: relay.ctx.pairingCode }));
    expect(again).toMatchObject({ status: 409, code: 'invalid_request' });

    const fresh = await generateSigningKey();
    const second = await anon.as({ id: 'self', privateKey: fresh.privateKey }).post<Wallet>('/v1/wallets', { name: 'Browser', publicKey: fresh.publicJwk, pairingCode: relay.ctx.pairingCode });
    expect(second.id).not.toBe(first.id);
    expect((await anon.as({ id: second.id, privateKey: fresh.privateKey }).get<{ id: string }>('/v1/wallet')).id).toBe(second.id);
  }, 60_000);
});
