import { generateSigningKey, RelayHttpClient, type Wallet } from '@agentpay/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayConfigInput } from '../src/config.ts';
import { PAIRING_LIMITS } from '../src/identity/pairing.ts';
import type { Relay } from '../src/relay.ts';
import { dropSchema, startTestRelay, STORES } from './harness.ts';

describe.each(STORES)('pairing a wallet on %s', (store) => {
  let relay: Relay | undefined;
  // The relay's clock, moved by the tests instead of waiting.
  let offset = 0;

  /** A relay of its own per test: the guard's counts and the code are per relay. */
  const start = async (extra: RelayConfigInput = {}) => {
    offset = 0;
    relay = await startTestRelay(store, extra, { now: () => new Date(Date.now() + offset) });
    return relay;
  };
  afterEach(async () => {
    if (relay) await dropSchema(relay);
    relay = undefined;
  });

  /** Sends POST /v1/wallets for a fresh key with `pairingCode`, and answers the raw response. */
  const pair = async (r: Relay, pairingCode: string) => {
    const key = await generateSigningKey();
    const client = new RelayHttpClient(r.httpUrl, { id: 'self', privateKey: key.privateKey }, { now: () => r.ctx.now().getTime() });
    const response = await client.send('POST', '/v1/wallets', { name: 'Mallory', publicKey: key.publicJwk, pairingCode });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Wallet & { error?: { code: string; message: string } } };
  };

  it('throttles guessing: 429 naming when to retry after the limit, and the right code still has to wait', async () => {
    const r = await start();
    for (let i = 0; i < PAIRING_LIMITS.perSource; i++) {
      expect(await pair(r, `GUESS-${i}00000`)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    }
    const locked = await pair(r, 'GUESS-LAST0');
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/refused for \d+ s/) });
    const seconds = Number(locked.retryAfter);
    expect(seconds).toBeGreaterThan(0);
    expect(locked.body.error!.message).toContain(`${seconds} s`);

    // The right code is not even judged while locked out.
    const right = await pair(r, r.ctx.pairingCode);
    expect(right).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(await r.ctx.db.query('SELECT id FROM wallets')).toEqual([]);

    offset += seconds * 1000;
    expect(await pair(r, r.ctx.pairingCode)).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^wal_/) } });
  });

  it('pairs one wallet with a code the relay made, then makes and announces a new one', async () => {
    const r = await start({ pairingCode: undefined });
    const announced: string[] = [];
    r.ctx.pairing.onNewCode((code) => announced.push(code));
    const code = r.ctx.pairingCode;
    expect(code).toMatch(/^[0-9A-Z]{8}$/);

    expect((await pair(r, code)).status).toBe(201);
    const second = await pair(r, code);
    expect(second).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: expect.stringContaining('already used') } } });
    expect(r.ctx.pairingCode).not.toBe(code);
    expect(announced).toEqual([r.ctx.pairingCode]);
    expect((await pair(r, r.ctx.pairingCode)).status).toBe(201);
    expect(await r.ctx.db.query('SELECT id FROM wallets')).toHaveLength(2);
  });

  it('pairs only one of many wallets sent at once with one code', async () => {
    const r = await start({ pairingCode: undefined });
    const code = r.ctx.pairingCode;
    const answers = await Promise.all(Array.from({ length: 4 }, () => pair(r, code)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 201).every((a) => a.body.error?.code === 'forbidden')).toBe(true);
    expect(await r.ctx.db.query('SELECT id FROM wallets')).toHaveLength(1);
  });

  it('refuses a code the relay made once it has expired, and the next one pairs', async () => {
    const r = await start({ pairingCode: undefined, pairingCodeTtlSeconds: 60 });
    const code = r.ctx.pairingCode;
    offset += 61_000;
    await r.sweep();
    const late = await pair(r, code);
    expect(late).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: expect.stringContaining('expired') } } });
    expect(r.ctx.pairingCode).not.toBe(code);
    expect((await pair(r, r.ctx.pairingCode)).status).toBe(201);
  });

  it('takes a code the relay made in lower case, in groups, and with O for 0 or I for 1', async () => {
    const r = await start({ pairingCode: undefined });
    const code = r.ctx.pairingCode;
    const typed = `${code.slice(0, 4)} - ${code.slice(4)}`.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'i');
    // One character off (never the code itself, whatever its last character).
    expect(await pair(r, `${code.slice(0, 7)}${code[7] === 'X' ? 'Y' : 'X'}`)).toMatchObject({ status: 403 });
    expect(await pair(r, `${code}0`)).toMatchObject({ status: 403 });
    expect(await pair(r, typed)).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^wal_/) } });
  }, 90_000);

  it('takes a configured code in lower case and without its dashes, and still refuses a wrong one', async () => {
    const r = await start({ pairingCode: 'TEST-PAIRING' });
    expect(await pair(r, 'test-pairinh')).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await pair(r, ' test pairing ')).toMatchObject({ status: 201 });
    expect(await pair(r, 'testpairing')).toMatchObject({ status: 201 });
  }, 90_000);
});
