import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { dropSchema, startTestRelay, STORES } from './harness.ts';
import { checkModel, MODEL_RELAY_CONFIG, replayFromEnv } from './model/property.ts';
import { movableClock } from './model/run.ts';

/**
 * The model-based concurrency test, bounded for `npm test`: two wallets (one in two windows), two
 * agents and a car, two merchants and the clock each run a short random list of everything they can
 * do, all at once, and every promise is checked afterwards (relay/test/model/invariants.ts).
 * `npm run soak` runs the same property far longer. A failure prints its seed and path: run it
 * again with MODEL_SEED=… MODEL_PATH=… npx vitest run relay/test/model.test.ts
 */
const RUNS: Record<(typeof STORES)[number], number> = { postgres: 10, pglite: 4 };

describe.each(STORES)('wallets, agents, devices and merchants at once keep every promise, on %s', (store) => {
  let relay: Relay;
  const clock = movableClock();
  beforeAll(async () => {
    relay = await startTestRelay(store, MODEL_RELAY_CONFIG, { now: clock.now });
  });
  afterAll(() => dropSchema(relay));

  it('random interleavings of intents, approvals, charges, refunds, pauses, revokes, mandate and passkey changes and expiry', async () => {
    await checkModel(relay, clock, { runs: RUNS[store], actions: 12, timeLimitMs: 150_000, ...replayFromEnv() });
  }, 240_000);
});
