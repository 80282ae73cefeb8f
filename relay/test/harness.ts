import {
  type Actor, type Intent, type MandateDocument, type Merchant, RelayHttpClient, type Signer, type Wallet,
  generateSigningKey, signCanonical,
} from '@agentpay/protocol';
import { randomUUID } from 'node:crypto';
import type { RelayConfigInput } from '../src/config.ts';
import { type Relay, startRelay } from '../src/relay.ts';

/** The real PostgreSQL on this machine, when the suite runs against it. */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MOSQUITTO_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

export type StoreKind = 'pglite' | 'postgres';
export const STORES: StoreKind[] = ['pglite', 'postgres'];

/** A fresh schema name, so that runs never see each other's rows. */
export function freshSchema(): string {
  return `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

/** Config for a relay on free ports, with the given store. */
export function testConfig(store: StoreKind, extra: RelayConfigInput = {}): RelayConfigInput {
  return {
    httpPort: 0,
    mqttPort: 0,
    mqttWsPort: 0,
    inMemory: true,
    logLevel: 'silent',
    pairingCode: 'TEST-PAIRING',
    ...(store === 'postgres' ? { databaseUrl: POSTGRES_URL, databaseSchema: freshSchema() } : {}),
    ...extra,
  };
}

export async function startTestRelay(store: StoreKind, extra: RelayConfigInput = {}, options: { now?: () => Date } = {}): Promise<Relay> {
  return startRelay(testConfig(store, extra), options);
}

/** Drops a test schema on the real PostgreSQL after the run. */
export async function dropSchema(relay: Relay): Promise<void> {
  const schema = relay.ctx.config.databaseUrl ? relay.ctx.config.databaseSchema : undefined;
  await relay.close();
  if (!schema) return;
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

export interface Party<T> {
  signer: Signer;
  client: RelayHttpClient;
  record: T;
}

/** A user's wallet, one agent, one merchant: the cast of most tests. */
export async function setUpParties(relay: Relay, options: { agentKind?: 'agent' | 'device'; profile?: Actor['profile'] } = {}) {
  // Clients sign with the relay's clock, so tests that move it keep valid signatures.
  const anon = new RelayHttpClient(relay.httpUrl, undefined, { now: () => relay.ctx.now().getTime() });
  const walletKey = await generateSigningKey();
  const wallet = await anon
    .as({ id: 'self', privateKey: walletKey.privateKey })
    .post<Wallet>('/v1/wallets', { name: 'Alice', publicKey: walletKey.publicJwk, pairingCode: relay.ctx.pairingCode });
  const walletSigner = { id: wallet.id, privateKey: walletKey.privateKey };
  const walletClient = anon.as(walletSigner);

  const merchantKey = await generateSigningKey();
  const merchant = await anon
    .as({ id: 'self', privateKey: merchantKey.privateKey })
    .post<Merchant>('/v1/merchants', { name: 'Demo Shop', publicKey: merchantKey.publicJwk, origins: ['http://127.0.0.1:8788'] });
  const merchantSigner = { id: merchant.id, privateKey: merchantKey.privateKey };

  const agent = await addActor(relay, walletClient, options.agentKind ?? 'agent', options.profile ?? undefined);
  return {
    wallet: { signer: walletSigner, client: walletClient, record: wallet } satisfies Party<Wallet>,
    merchant: { signer: merchantSigner, client: anon.as(merchantSigner), record: merchant } satisfies Party<Merchant>,
    agent,
  };
}

export async function addActor(
  relay: Relay,
  walletClient: RelayHttpClient,
  kind: 'agent' | 'device' = 'agent',
  profile?: Actor['profile'],
): Promise<Party<Actor>> {
  const key = await generateSigningKey();
  const actor = await walletClient.post<Actor>('/v1/wallet/actors', {
    kind, name: kind === 'agent' ? 'Shopping agent' : 'Car', publicKey: key.publicJwk, ...(profile ? { profile } : {}),
  });
  const signer = { id: actor.id, privateKey: key.privateKey };
  return { signer, client: walletClient.as(signer), record: actor };
}

/** Signs and sets a mandate for the actor; `issuedAt` defaults to now. */
export async function setMandate(
  wallet: Party<Wallet>,
  actorId: string,
  mandate: Record<string, unknown> & { kind: MandateDocument['kind'] },
): Promise<unknown> {
  const document = { v: 1, walletId: wallet.record.id, actorId, issuedAt: new Date().toISOString(), ...mandate };
  const jws = await signCanonical(document, wallet.signer.privateKey, wallet.record.id);
  return wallet.client.put(`/v1/wallet/actors/${actorId}/mandate`, { jws });
}

/** A simple one-line cart. */
export function cart(merchantId: string, minor: number, extra: Record<string, unknown> = {}) {
  return {
    merchantId,
    amount: { minor, currency: 'CNY' },
    lineItems: [{ name: 'Item', quantity: 1, unitMinor: minor }],
    category: 'physical_goods',
    channel: 'api',
    ...extra,
  };
}

/** Signs the user's approval (or denial) of a held intent over exactly what it was shown. */
export async function answer(wallet: Party<Wallet>, intent: Intent, decision: 'approve' | 'deny', overrides: Record<string, unknown> = {}) {
  const claims = {
    type: 'agentpay.approval.v1',
    intentId: intent.id,
    decision,
    merchantId: intent.merchantId,
    amount: intent.amount,
    lineItems: intent.lineItems,
    category: intent.category,
    ...overrides,
  };
  const jws = await signCanonical(claims, wallet.signer.privateKey, wallet.record.id);
  return wallet.client.post<Intent>(`/v1/intents/${intent.id}/confirmation`, { jws });
}

/** Polls `condition` until it holds (another session queued on a lock, a store back from an outage): no fixed waits. */
export async function until(condition: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}
