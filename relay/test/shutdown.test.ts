import type { Charge, Intent } from '@agentpay/protocol';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check.ts';
import { openStore } from '../src/relay.ts';
import { RelayConfig } from '../src/config.ts';
import { DeviceClient } from './device-client.ts';
import { cart, until } from './harness.ts';
import { partiesAt } from './parties-at.ts';

const START = join(import.meta.dirname, '..', 'src', 'demo', 'start.ts');
const PAIRING_CODE = 'SHUTDOWN-TEST';

/** `npm start` as a user runs it: its own process, on free ports, in a fresh data folder. */
async function startDemo(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', START], {
    env: {
      ...process.env, DATA_DIR: dataDir, HTTP_PORT: '0', SHOP_PORT: '0', MODEL_API_PORT: '0', MQTT_PORT: '0', MQTT_WS_PORT: '0',
      PAIRING_CODE, LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await until(() => /^next:/m.test(stdout) || child.exitCode !== null, 60_000);
  if (child.exitCode !== null) throw new Error(`npm start ended: ${stderr}`);
  const url = (label: string) => stdout.match(new RegExp(`^${label}\\s+(\\S+)`, 'm'))![1]!;
  return { child, exited, relayUrl: url('relay'), mqttUrl: url('mqtt'), output: () => stdout + stderr };
}

/** A keep-alive HTTP connection left open and idle, as a browser keeps one. */
function keepAliveConnection(url: string): Promise<Agent> {
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
  return new Promise((resolve, reject) => {
    request(new URL('/v1/health', url), { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(agent));
    }).on('error', reject).end();
  });
}

/** What a request racing the shutdown got: an answer, or a connection that failed or closed. */
async function settle(attempt: Promise<Response>): Promise<{ status: number; retryAfter: string | null; body: string } | 'connection closed'> {
  try {
    const response = await attempt;
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() };
  } catch {
    return 'connection closed';
  }
}

describe('Ctrl+C on npm start', () => {
  let child: ChildProcess | undefined;
  let dataDir: string | undefined;
  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops at once with a wallet stream, a device, a long poll and a keep-alive connection open; a racing charge is all or nothing', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'shutdown-'));
    const demo = await startDemo(dataDir);
    child = demo.child;
    const { wallet, merchant, merchantId, agent, device } = await partiesAt(demo.relayUrl, PAIRING_CODE);

    // The wallet's event stream, which a browser keeps open for as long as it runs.
    const events = await wallet.send('GET', '/v1/wallet/events');
    expect(events.status).toBe(200);
    const reader = events.body!.getReader();
    const streamEnded = (async () => {
      try {
        while (!(await reader.read()).done);
      } catch {
        // a reset connection ends it too
      }
      return Date.now();
    })();
    const mqtt = await DeviceClient.connect({ url: demo.mqttUrl, signer: device.signer, protocolVersion: 4 });
    const mqttClosed = new Promise<number>((resolve) => mqtt.client.once('close', () => resolve(Date.now())));
    const idle = await keepAliveConnection(demo.relayUrl);

    // An intent held for the user, long-polled by its agent (a request that would otherwise run a minute).
    const held = await agent.client.post<Intent>('/v1/intents', cart(merchantId, 2_000_00));
    expect(held.status).toBe('pending_confirmation');
    const longPoll = settle(agent.client.send('GET', `/v1/intents/${held.id}?waitSeconds=60`));
    // An approved token, charged in a race with Ctrl+C.
    const approved = await agent.client.post<Intent>('/v1/intents', cart(merchantId, 40_00));
    expect(approved.status).toBe('approved');

    const sigint = Date.now();
    const charge = settle(merchant.send('POST', '/v1/merchant/charges', { token: approved.token!.secret, amount: approved.amount }));
    demo.child.kill('SIGINT');
    await until(() => demo.output().includes('stopping'), 10_000);
    // After Ctrl+C nothing new is taken on: a plain 503 that says when to come back, or no connection at all.
    const late = await settle(agent.client.send('POST', '/v1/intents', cart(merchantId, 10_00)));
    if (late !== 'connection closed') {
      expect(late.status).toBe(503);
      expect(Number(late.retryAfter)).toBeGreaterThan(0);
      expect(JSON.parse(late.body).error.message).toMatch(/stopping.*nothing was (paid|charged)/i);
    }

    // Bounded by a guard far above the aim: the process must end on its own, well before anyone gives up.
    const code = await Promise.race([demo.exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000))]);
    const stoppedAfter = Date.now() - sigint;
    console.log(`npm start stopped ${stoppedAfter} ms after SIGINT`);
    expect(code).toBe(0);
    expect(stoppedAfter).toBeLessThan(10_000);
    // The relay ended the stream and the device's session; neither client left first.
    expect(await streamEnded).toBeGreaterThanOrEqual(sigint);
    expect(await mqttClosed).toBeGreaterThanOrEqual(sigint);
    idle.destroy();
    const poll = await longPoll;
    expect(poll === 'connection closed' || [200, 503].includes(poll.status)).toBe(true);

    // The charge that raced the shutdown: recorded whole (and the ledger agrees), or refused and absent.
    const raced = await charge;
    console.log(`the charge racing Ctrl+C: ${raced === 'connection closed' ? raced : raced.status}`);
    const db = await openStore(RelayConfig.parse({ dataDir, logLevel: 'silent' }));
    try {
      const rows = await db.query<{ id: string }>('SELECT id FROM charges WHERE intent_id = $1', [approved.id]);
      if (raced !== 'connection closed' && raced.status === 201) expect(rows.map((r) => r.id)).toEqual([(JSON.parse(raced.body) as Charge).id]);
      else if (raced !== 'connection closed') {
        expect(raced.status).toBe(503);
        expect(rows).toEqual([]);
      }
      expect((await checkLedger(db)).problems).toEqual([]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
