import { type Intent, ProtocolError, RelayHttpClient } from '@agentpay/protocol';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayConfigInput } from '../src/config.ts';
import type { Relay } from '../src/relay.ts';
import { openPostgres } from '../src/store/postgres.ts';
import { storeUnavailable } from '../src/store/unavailable.ts';
import { newVaultKey } from '../src/vault/vault.ts';
import { cart, dropSchema, freshSchema, POSTGRES_URL, setMandate, setUpParties, startTestRelay, STORES, until } from './harness.ts';
import { DeviceClient, newRequestId } from './device-client.ts';
import { PgProxy } from './pg-proxy.ts';

/**
 * Losing PostgreSQL, whether its connections close or go silent, must never
 * stop the relay: while the store is gone every request is answered 503
 * `store_unavailable` within the configured bounds, and once it is back the
 * relay serves again without a restart. These run on PostgreSQL only: PGlite
 * lives inside the relay's process and cannot be cut off from it.
 */

// Small bounds, so that an outage is answered in a second or two.
const BOUNDS: RelayConfigInput = {
  databaseConnectTimeoutSeconds: 1,
  databaseStatementTimeoutSeconds: 1,
  databaseLockTimeoutSeconds: 0.5,
  databaseIdleInTransactionTimeoutSeconds: 1,
  databaseKeepaliveSeconds: 1,
  databaseStartTimeoutSeconds: 20,
  riskMaxIntentsPerMinute: 1e9,
};
/** Far above BOUNDS and far below the test timeout: an answer slower than this is a hang. */
const ANSWER_WITHIN_MS = 8_000;

let proxy: PgProxy;
const relays: Relay[] = [];

beforeEach(async () => {
  proxy = await PgProxy.start();
});
afterEach(async () => {
  await proxy.close();
  for (const relay of relays.splice(0)) await dropSchema(relay);
});

async function startBehindProxy(extra: RelayConfigInput = {}): Promise<Relay> {
  const relay = await startTestRelay('postgres', { ...BOUNDS, databaseUrl: proxy.url, ...extra });
  relays.push(relay);
  return relay;
}

/** Rejects when `work` takes longer than `ms`: the relay hung instead of answering. */
async function answered<T>(work: Promise<T>, ms = ANSWER_WITHIN_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the relay did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the relay answered: the result, or the ProtocolError it refused with. */
async function outcome<T>(work: Promise<T>): Promise<T | ProtocolError> {
  return answered(work).catch((error: unknown) => {
    if (error instanceof ProtocolError) return error;
    throw error;
  });
}

/** Retries `work` while the relay answers store_unavailable, until `ms` have passed; counts the refusals. */
async function once503sEnd<T>(work: () => Promise<T>, ms = 20_000): Promise<{ value: T; refusals: number }> {
  const until = Date.now() + ms;
  for (let refusals = 0; ; refusals++) {
    const result = await outcome(work());
    if (!(result instanceof ProtocolError)) return { value: result, refusals };
    expect(result).toMatchObject({ code: 'store_unavailable', status: 503 });
    if (Date.now() > until) throw new Error(`still store_unavailable after ${ms} ms`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

async function health(relay: Relay): Promise<{ status: number; body: { ok: boolean; store: string } }> {
  const response = await answered(fetch(`${relay.httpUrl}/v1/health`));
  return { status: response.status, body: (await response.json()) as { ok: boolean; store: string } };
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function payingParties(relay: Relay) {
  const parties = await setUpParties(relay);
  await setMandate(parties.wallet, parties.agent.record.id, {
    kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'month', merchants: [parties.merchant.record.id],
  });
  const pay = (minor = 10_00) => parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, minor));
  return { ...parties, pay };
}

describe('when PostgreSQL goes away', () => {
  it('keeps running when PostgreSQL terminates its connections, and pays again without a restart', async () => {
    const relay = await startBehindProxy();
    const { pay } = await payingParties(relay);
    expect((await pay()).status).toBe('approved');

    // Idle pooled connections closed by the server: once this crashed the relay.
    const ports = proxy.upstreamPorts();
    const terminated = await withAdmin(async (admin) =>
      (await admin.query('SELECT pg_terminate_backend(pid) AS gone FROM pg_stat_activity WHERE client_port = ANY($1)', [ports])).rows,
    );
    expect(terminated.length).toBeGreaterThan(0);

    expect((await once503sEnd(() => pay())).value.status).toBe('approved');
    expect(await health(relay)).toEqual({ status: 200, body: { ok: true, store: 'postgres' } });
  });

  it('answers 503 store_unavailable while the connections are cut, and serves again once they are back', async () => {
    const relay = await startBehindProxy();
    const { pay } = await payingParties(relay);
    expect((await pay()).status).toBe('approved');

    proxy.cut();
    expect(await outcome(pay())).toMatchObject({ code: 'store_unavailable', status: 503 });
    expect(await outcome(pay())).toMatchObject({ code: 'store_unavailable', status: 503 });
    expect(await health(relay)).toEqual({ status: 503, body: { ok: false, store: 'postgres' } });

    proxy.restore();
    expect((await once503sEnd(() => pay())).value.status).toBe('approved');
    await until(async () => (await health(relay)).status === 200);
  });

  it('answers 503 store_unavailable while the connections are silent, and serves again once the network is back', async () => {
    const relay = await startBehindProxy();
    const { pay } = await payingParties(relay);
    expect((await pay()).status).toBe('approved');

    proxy.blackhole();
    expect(await outcome(pay())).toMatchObject({ code: 'store_unavailable', status: 503 });
    expect(await health(relay)).toEqual({ status: 503, body: { ok: false, store: 'postgres' } });
    expect(await outcome(pay())).toMatchObject({ code: 'store_unavailable', status: 503 });

    // The silenced connections stay dead, as after a lost route; new ones work again.
    proxy.restore();
    expect((await once503sEnd(() => pay())).value.status).toBe('approved');
    await until(async () => (await health(relay)).status === 200);
  });

  it('answers a device over MQTT with a retryable store_unavailable, and serves it again once the store is back', async () => {
    const relay = await startBehindProxy();
    const { agent, merchant } = await setUpParties(relay, { agentKind: 'device' });
    const device = await DeviceClient.connect({ url: relay.mqttUrl, signer: agent.signer, protocolVersion: 4 });
    try {
      const ask = () => ({ type: 'merchant.get', requestId: newRequestId(), merchantId: merchant.record.id });
      proxy.cut();
      expect(await device.request(ask(), { timeoutMs: ANSWER_WITHIN_MS })).toMatchObject({
        type: 'error', error: { code: 'store_unavailable' },
      });
      proxy.restore();
      await until(async () => (await device.request(ask(), { timeoutMs: ANSWER_WITHIN_MS })).type === 'merchant');
    } finally {
      await device.close();
    }
  });

  it('starts once PostgreSQL becomes reachable, retrying meanwhile', async () => {
    proxy.cut();
    const starting = startBehindProxy();
    // The relay keeps knocking rather than giving up on the first refusal.
    await until(() => proxy.accepted >= 2);
    proxy.restore();
    const relay = await starting;
    const { pay } = await payingParties(relay);
    expect((await pay()).status).toBe('approved');
  });

  it('a relay whose connection went silent mid-payment does not hold the quota row from another relay for long', async () => {
    // Relay B talks to PostgreSQL directly; relay A through the proxy, on the same schema. A's sessions
    // are ended by the server after 3 s idle in a transaction; B waits at most 0.5 s for a row lock.
    const schema = freshSchema();
    // Relays sharing a database share its vault key.
    const vaultKey = newVaultKey();
    const b = await startTestRelay('postgres', { ...BOUNDS, databaseSchema: schema, vaultKey });
    relays.push(b);
    const { agent, merchant, pay: payAtB } = await payingParties(b);
    const a = await startBehindProxy({ databaseSchema: schema, vaultKey, databaseIdleInTransactionTimeoutSeconds: 3 });
    const atA = new RelayHttpClient(a.httpUrl, agent.signer);

    // A's debit of the quota row reaches PostgreSQL, which locks the row; its answer never comes back.
    proxy.silenceAfter('INSERT INTO quota_usage');
    const refusedAtA = outcome(atA.post<Intent>('/v1/intents', cart(merchant.record.id, 10_00)));
    await until(() =>
      withAdmin(async (admin) => {
        const { rows } = await admin.query(
          "SELECT 1 FROM pg_stat_activity WHERE client_port = ANY($1) AND state = 'idle in transaction'",
          [proxy.upstreamPorts()],
        );
        return rows.length > 0;
      }),
    );

    // B is refused while the dead session holds the row, never hangs, and pays once A's session is ended.
    const paid = await once503sEnd(() => payAtB(20_00));
    expect(paid.value.status).toBe('approved');
    expect(paid.refusals).toBeGreaterThan(0);
    expect(await refusedAtA).toMatchObject({ code: 'store_unavailable', status: 503 });
    // A's half-done payment was rolled back with its session: only B's 20.00 is spent.
    const [usage] = await b.ctx.db.query<{ spent_minor: number }>('SELECT spent_minor FROM quota_usage WHERE actor_id = $1', [agent.record.id]);
    expect(usage!.spent_minor).toBe(20_00);
  });

  it('still runs a transaction again after a serialization failure or deadlock, on a healthy connection', async () => {
    const schema = freshSchema();
    const db = await openPostgres({ url: POSTGRES_URL, schema, bounds: { statementMs: 1_000, lockMs: 500 } });
    try {
      const codes = ['40001', '40P01'];
      let attempts = 0;
      const result = await db.transaction(async (tx) => {
        const code = codes[attempts++];
        if (code) await tx.query(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '${code}'; END $$`);
        return 'done';
      });
      expect({ result, attempts }).toEqual({ result: 'done', attempts: 3 });
    } finally {
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.close();
    }
  });
});

describe.each(STORES)('the health check on %s', (store) => {
  it('answers 200 with ok:true while the store answers', async () => {
    const relay = await startTestRelay(store);
    relays.push(relay);
    expect(await health(relay)).toEqual({ status: 200, body: { ok: true, store } });
  });
});

describe('which failures are the store being unavailable', () => {
  const coded = (code: string, message = 'failed') => Object.assign(new Error(message), { code });
  it.each([
    ['a reset socket', coded('ECONNRESET')],
    ['a refused connection', coded('ECONNREFUSED')],
    ['admin_shutdown (pg_terminate_backend, a restart)', coded('57P01')],
    ['a connection exception', coded('08006')],
    ['statement_timeout', coded('57014')],
    ['lock_timeout', coded('55P03')],
    ['a closed connection', new Error('Connection terminated unexpectedly')],
    ['a connection that did not open in time', new Error('Connection terminated due to connection timeout')],
    ['a silent connection', new Error('Query read timeout')],
    ['a full pool', new Error('timeout exceeded when trying to connect')],
  ])('%s answers 503 store_unavailable', (_, error) => {
    expect(storeUnavailable(error)).toMatchObject({ code: 'store_unavailable', status: 503 });
  });
  it.each([
    ['a unique violation', coded('23505')],
    ['a serialization failure left after retries', coded('40001')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('%s does not', (_, error) => {
    expect(storeUnavailable(error)).toBeUndefined();
  });
});
