import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Relay } from '../relay/src/relay.ts';
import { dropSchema, startTestRelay, type StoreKind } from '../relay/test/harness.ts';
import { checkModel, MODEL_RELAY_CONFIG, replayFromEnv } from '../relay/test/model/property.ts';
import { movableClock } from '../relay/test/model/run.ts';

/**
 * The model-based concurrency test at length (`npm run soak`): the property of
 * relay/test/model.test.ts with many more runs and longer lists per client.
 * SOAK_RUNS (default 100), SOAK_ACTIONS (per client, default 25), SOAK_MINUTES (stop looking after,
 * default 20) and SOAK_STORES (default postgres; e.g. "postgres,pglite") tune it.
 */
const runs = Number(process.env.SOAK_RUNS ?? 100);
const actions = Number(process.env.SOAK_ACTIONS ?? 25);
const minutes = Number(process.env.SOAK_MINUTES ?? 20);
const stores = (process.env.SOAK_STORES ?? 'postgres').split(',').map((s) => s.trim()) as StoreKind[];

describe.each(stores)('model soak on %s', (store) => {
  let relay: Relay;
  const clock = movableClock();
  beforeAll(async () => {
    relay = await startTestRelay(store, MODEL_RELAY_CONFIG, { now: clock.now });
  });
  afterAll(() => dropSchema(relay));

  it(`${runs} runs of up to ${actions} actions per client keep every promise`, async () => {
    await checkModel(relay, clock, { runs, actions, timeLimitMs: minutes * 60_000, ...replayFromEnv() });
  }, (minutes + 10) * 60_000);
});
