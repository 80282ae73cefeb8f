import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelayEvent } from '../src/events/hub.ts';
import { runCommand } from '../src/idempotency/command.ts';
import type { Relay } from '../src/relay.ts';
import { dropSchema, startTestRelay } from './harness.ts';

// PGlite runs one transaction at a time and never retries; PostgreSQL retries after a
// serialisation failure or deadlock, which is what this file is about.
describe('a transaction PostgreSQL retries', () => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startTestRelay('postgres');
  });
  afterAll(() => dropSchema(relay));

  it('publishes the events of the attempt that committed, not of the one that failed', async () => {
    const seen: RelayEvent[] = [];
    const stop = new AbortController();
    relay.ctx.events.subscribe((event) => seen.push(event), stop.signal);
    let attempts = 0;
    const result = await runCommand(relay.ctx, { principal: 'wal_test', idempotencyKey: 'retry-once', requestHash: 'h', nonce: 'n-retry-once' }, async (tx, outbox) => {
      attempts++;
      outbox.push({ type: 'actor.updated', walletId: 'wal_test', actorId: `agt_attempt_${attempts}`, status: 'paused' });
      // A real serialisation failure raised by the server on the first attempt.
      if (attempts === 1) await tx.query(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$`);
      return { status: 200, body: { attempts } };
    });
    stop.abort();
    expect(result.body).toEqual({ attempts: 2 });
    expect(seen.map((e) => (e.type === 'actor.updated' ? e.actorId : e.type))).toEqual(['agt_attempt_2']);
  });
});
