import type { Intent } from '@agentpay/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

interface RecordPage {
  records: { id: string; createdAt: string }[];
  nextCursor: string | null;
}

describe.each(STORES)('paging the wallet records on %s', (store) => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;
  // A clock the test sets, so that many payments share one millisecond as they do under load.
  let now = Date.parse('2026-03-01T10:00:00.000Z');

  beforeAll(async () => {
    relay = await startTestRelay(store, {}, { now: () => new Date(now) });
  });
  beforeEach(async () => {
    parties = await setUpParties(relay);
    await setMandate(parties.wallet, parties.agent.record.id, { kind: 'confirm_each', issuedAt: new Date(now).toISOString() });
  });
  afterAll(() => dropSchema(relay));

  /** Asks for `count` payments at the relay's current instant; every one is a record. */
  const payAt = async (instant: string, count: number) => {
    now = Date.parse(instant);
    const made: Intent[] = [];
    for (let i = 0; i < count; i++) made.push(await parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 1_00 + i)));
    return made.map((m) => m.id);
  };

  /** Follows nextCursor from the first page to the last. */
  const everyPage = async (limit: number) => {
    const seen: RecordPage['records'] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const query: string = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const answer = await parties.wallet.client.get<RecordPage>(`/v1/wallet/records?${query}`);
      expect(answer.records.length).toBeLessThanOrEqual(limit);
      seen.push(...answer.records);
      if (!answer.nextCursor) return seen;
      cursor = answer.nextCursor;
    }
    throw new Error('paging never ended');
  };

  it.each([1, 2, 3])('with limit %i returns every record exactly once, newest first, when many share one millisecond', async (limit) => {
    const older = await payAt('2026-03-01T10:00:00.000Z', 2);
    const same = await payAt('2026-03-01T10:00:00.001Z', 7);
    const newer = await payAt('2026-03-01T10:00:00.002Z', 2);

    const seen = await everyPage(limit);
    const ids = seen.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...older, ...same, ...newer].sort());
    // Newest first: all of a later millisecond before any of an earlier one.
    expect(new Set(ids.slice(0, 2))).toEqual(new Set(newer));
    expect(new Set(ids.slice(2, 9))).toEqual(new Set(same));
    expect(new Set(ids.slice(9))).toEqual(new Set(older));
  });

  it('says there is no next page on the last one', async () => {
    const ids = await payAt('2026-03-01T10:00:01.000Z', 3);
    const first = await parties.wallet.client.get<RecordPage>('/v1/wallet/records?limit=3');
    expect(first.records.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(first.nextCursor).toBeNull();
  });

  it('keeps paging one agent with actorId', async () => {
    const mine = await payAt('2026-03-01T10:00:02.000Z', 4);
    const { addActor } = await import('./harness.ts');
    const other = await addActor(relay, parties.wallet.client);
    await setMandate(parties.wallet, other.record.id, { kind: 'confirm_each', issuedAt: new Date(now).toISOString() });
    await other.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 9_00));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `actorId=${parties.agent.record.id}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await parties.wallet.client.get<RecordPage>(`/v1/wallet/records?${query}`);
      seen.push(...page.records.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...mine].sort());
  });

  it('refuses a cursor it did not make, or one given with before, naming the field', async () => {
    for (const cursor of ['not-a-cursor', Buffer.from('{"at":"yesterday","id":1}').toString('base64url')]) {
      await expect(parties.wallet.client.get(`/v1/wallet/records?cursor=${cursor}`)).rejects.toMatchObject({
        code: 'invalid_request', status: 400, message: expect.stringContaining('cursor'),
      });
    }
    await payAt('2026-03-01T10:00:03.000Z', 2);
    const { nextCursor } = await parties.wallet.client.get<RecordPage>('/v1/wallet/records?limit=1');
    await expect(
      parties.wallet.client.get(`/v1/wallet/records?limit=1&cursor=${nextCursor}&before=2026-03-01T10:00:03.000Z`),
    ).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('cursor') });
  });
});
