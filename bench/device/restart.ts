/**
 * Back to paying after a relay restart, on the embedded defaults (PGlite on
 * disk, the relay's own broker): the relay is stopped, stays down for a while
 * (as long as a supervisor takes to start it again; it varies from run to
 * run), and starts again on the same ports with the same data folder. Timed:
 * from the moment the relay serves again (startRelay resolved) to the next
 * decision a device paying over MQTT (the SDK's RelayConnection, default
 * backoff) gets, side by side with an HTTP agent paying in the same run.
 */
import { type Intent, IntentRequest, randomString } from '@agentpay/protocol';
import { addActor, cart, setMandate } from '../../relay/test/harness.ts';
import { DEFAULT_BACKOFF } from '../../device-sdk/src/connection/backoff.ts';
import { RelayConnection } from '../../device-sdk/src/connection/connection.ts';
import { startDeviceSystem } from '../../device-sdk/test/system.ts';
import { percentile, type Row, row } from '../lib/stats.ts';
import type { SuiteContext } from '../lib/suite.ts';

/** How long the relay stays down in each run, taking turns: a quick restart, slower ones, a crash a supervisor notices late. */
const DOWNTIMES_MS = [1_000, 4_000, 10_000, 20_000];
const QUICK_DOWNTIMES_MS = [500, 2_000, 5_000];
/** The HTTP agent's client sends its payment again this often while the relay does not answer. */
const HTTP_RETRY_MS = 500;
/** Between one payer's payments while the relay answers. */
const PAUSE_MS = 250;

export async function restartRows(ctx: SuiteContext): Promise<Row[]> {
  const downtimes = ctx.config.quick ? QUICK_DOWNTIMES_MS : DOWNTIMES_MS;
  const runs = downtimes.length * (ctx.config.quick ? 1 : 2);
  const system = await startDeviceSystem('embedded');
  const merchantId = system.merchant.record.id;
  const budget = { kind: 'quota' as const, budget: { minor: 1_000_000_00, currency: 'CNY' }, period: 'month', merchants: [merchantId] };
  const car = await system.addDevice('cockpit', budget);
  const agent = await addActor(system.relay, system.wallet.client, 'agent');
  await setMandate(system.wallet, agent.record.id, budget);
  const connection = new RelayConnection({ ...car.connection, backoff: undefined });
  /** performance.now() of each payer's decisions. */
  const decided = { device: [] as number[], http: [] as number[] };
  let paying = true;

  const payByDevice = async () => {
    while (paying) {
      const intent = IntentRequest.parse(cart(merchantId, 1_00, { category: 'parking', channel: 'device-scan' }));
      const answer = await connection.request({ type: 'intent.create', requestId: `bench-${randomString(12)}`, intent }).catch(() => undefined);
      if (answer?.type === 'intent') decided.device.push(performance.now());
      await sleep(PAUSE_MS);
    }
  };
  const payByHttp = async () => {
    while (paying) {
      const idempotencyKey = `idem_${randomString(24)}`;
      for (;;) {
        if (!paying) return;
        const intent = await agent.client.post<Intent>('/v1/intents', cart(merchantId, 1_00), { idempotencyKey, signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
        if (intent) break;
        await sleep(HTTP_RETRY_MS);
      }
      decided.http.push(performance.now());
      await sleep(PAUSE_MS);
    }
  };

  const back = { device: [] as number[], http: [] as number[] };
  const loops = [payByDevice(), payByHttp()];
  try {
    await until(() => decided.device.length > 2 && decided.http.length > 2);
    for (let i = 0; i < runs; i++) {
      const downMs = downtimes[i % downtimes.length]!;
      await system.stopBroker();
      const stopped = performance.now();
      await sleep(downMs);
      await system.restoreBroker();
      const serving = performance.now();
      // The first decision after the relay serves (a decision still in flight when it stopped does not count).
      const next = (payer: 'device' | 'http') => decided[payer].find((t) => t > stopped);
      await until(() => next('device') !== undefined && next('http') !== undefined, 120_000);
      for (const payer of ['device', 'http'] as const) back[payer].push(Math.max(0, next(payer)! - serving));
      ctx.log(`restart ${i + 1}/${runs}, down ${downMs} ms: device back after ${back.device.at(-1)!.toFixed(0)} ms, HTTP agent after ${back.http.at(-1)!.toFixed(0)} ms`);
    }
  } finally {
    paying = false;
    await connection.close();
    await Promise.all(loops);
    await system.close();
  }
  const p = (v: number[], q: number) => percentile(v, q);
  ctx.note(`relay restart: ${runs} runs, the relay down ${downtimes.join(', ')} ms in turn; the device reconnects with its default backoff (${DEFAULT_BACKOFF.initialMs} ms doubling to ${DEFAULT_BACKOFF.maxMs} ms, ±${DEFAULT_BACKOFF.jitter * 100} %), so it should be back within about ${DEFAULT_BACKOFF.maxMs} ms; an HTTP agent retrying every ${HTTP_RETRY_MS} ms with the same idempotency key paid in the same runs`);
  return [
    row('relay restart → next decision on a device (MQTT, default backoff) vs HTTP agent, median', 'ms', p(back.device, 50), p(back.http, 50)),
    row('relay restart → next decision on a device (MQTT, default backoff) vs HTTP agent, worst', 'ms', p(back.device, 100), p(back.http, 100)),
    row('relay restart → next decision on an HTTP agent, median', 'ms', p(back.http, 50)),
    row('relay restart → next decision on an HTTP agent, worst', 'ms', p(back.http, 100)),
  ];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, ms = 30_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not within ${ms} ms: ${condition.toString()}`);
    await sleep(5);
  }
}
