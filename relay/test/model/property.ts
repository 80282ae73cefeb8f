import fc from 'fast-check';
import type { Relay } from '../../src/relay.ts';
import { brokenPromises } from './invariants.ts';
import { type MovableClock, runScenario, setUpWorld, summary, timeline } from './run.ts';
import { scenario } from './scenario.ts';

/** Relay settings for model runs: short lifetimes so the clock client expires things, no burst risk checks. */
export const MODEL_RELAY_CONFIG = {
  tokenTtlSeconds: 90,
  confirmTtlSeconds: 60,
  riskMaxIntentsPerMinute: 1e9,
  riskAmountFactor: 1e9,
  riskSpendFactor: 1e9,
};

export interface ModelRunOptions {
  /** Runs (each on fresh parties). */
  runs: number;
  /** At most this many actions per client per run. */
  actions: number;
  /** Replay a failure: the seed and path fast-check printed. */
  seed?: number;
  path?: string;
  /** Stop looking (and shrinking) after this long; a failure found by then is still reported. */
  timeLimitMs?: number;
}

/** Reads MODEL_SEED / MODEL_PATH, so a printed failure can be run again as it was. */
export function replayFromEnv(): Pick<ModelRunOptions, 'seed' | 'path'> {
  const seed = process.env.MODEL_SEED;
  return { ...(seed ? { seed: Number(seed) } : {}), ...(process.env.MODEL_PATH ? { path: process.env.MODEL_PATH } : {}) };
}

/**
 * The model-based concurrency property: fresh wallets, agents, a car and merchants; every client
 * runs its generated actions at the same time against the relay; then every promise is checked.
 * A failure throws fast-check's report: the seed and path to run it again
 * (MODEL_SEED=… MODEL_PATH=…), the shrunk scenario, and that run's timeline with what broke.
 */
export async function checkModel(relay: Relay, clock: MovableClock, options: ModelRunOptions): Promise<void> {
  const property = fc.asyncProperty(scenario(options.actions), async (s) => {
    const world = await setUpWorld(relay, clock);
    await runScenario(world, s);
    const broken = await brokenPromises(world);
    if (process.env.MODEL_VERBOSE) console.log(`${world.log.length} requests: ${summary(world.log)}`);
    if (broken.length > 0) {
      throw new Error(`${broken.length} broken promise(s):\n${broken.join('\n')}\n\ntimeline (${world.log.length} requests):\n${timeline(world.log)}`);
    }
  });
  await fc.assert(property, {
    numRuns: options.runs,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.path !== undefined ? { path: options.path, endOnFailure: false } : {}),
    ...(options.timeLimitMs ? { interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: false } : {}),
    // The real concurrency makes a run's outcome vary a little; fast-check shrinks with what reproduces.
    verbose: 0,
  });
}
