/**
 * A device paying through a restart of the relay on its embedded defaults
 * (PGlite on disk, the relay's own broker, same ports): how soon it pays
 * again is bounded by its backoff, because its reconnect attempts follow the
 * schedule, the relay lets it in as soon as it serves, and its queued request
 * goes out at once on the new connection. Asserted on what happens, in order,
 * not on wall-clock times.
 */
import { IntentRequest, randomString } from '@agentpay/protocol';
import { Aedes, type AuthErrorCode } from 'aedes';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cart } from '../../relay/test/harness.ts';
import { DEFAULT_BACKOFF } from '../src/connection/backoff.ts';
import { type ConnectionEvents, RelayConnection } from '../src/connection/connection.ts';
import { isServerUnavailable } from '../src/connection/refusals.ts';
import { useDeviceSystem } from './hooks.ts';
import { type DeviceSystem, parkingRules, until } from './system.ts';

/**
 * A test can hold the relay's start between its own broker client having
 * subscribed and the relay serving (the window in which the embedded broker
 * used to refuse devices), and see which logins the broker has in hand.
 */
const starting = vi.hoisted(() => ({ hold: undefined as Promise<void> | undefined, logins: [] as (string | undefined)[] }));

vi.mock('../../relay/src/mqtt/bridge.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../relay/src/mqtt/bridge.ts')>();
  return {
    ...real,
    startDeviceBridge: async (...args: Parameters<typeof real.startDeviceBridge>) => {
      const bridge = await real.startDeviceBridge(...args);
      await starting.hold;
      return bridge;
    },
  };
});

vi.mock('../../relay/src/mqtt/broker.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../relay/src/mqtt/broker.ts')>();
  return {
    ...real,
    startEmbeddedBroker: (options: Parameters<typeof real.startEmbeddedBroker>[0]) => real.startEmbeddedBroker({
      ...options,
      auth: {
        authenticate(input) {
          starting.logins.push(input.username);
          return options.auth.authenticate(input);
        },
      },
    }),
  };
});

/** What the connection reported, in order, with where the relay stopped and served again. */
type Entry =
  | { kind: 'reconnect'; event: ConnectionEvents['reconnect'] }
  | { kind: 'online' }
  | { kind: 'sent'; event: ConnectionEvents['sent'] }
  | { kind: 'relay stopping' | 'relay serving' };

/** Index of the last entry of `kind`, or -1. */
function lastOf(log: Entry[], kind: Entry['kind']): number {
  for (let i = log.length - 1; i >= 0; i--) if (log[i]!.kind === kind) return i;
  return -1;
}

function record(connection: RelayConnection): Entry[] {
  const log: Entry[] = [];
  connection.events.on('reconnect', (event) => log.push({ kind: 'reconnect', event }));
  connection.events.on('state', ({ state }) => state === 'online' && log.push({ kind: 'online' }));
  connection.events.on('sent', (event) => log.push({ kind: 'sent', event }));
  return log;
}

/** The delays a backoff allows before attempt `attempt` (1 = the first after a drop): the step, spread by the jitter, never past the maximum. */
function allowed(attempt: number, backoff: typeof DEFAULT_BACKOFF): [number, number] {
  const step = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** (attempt - 1));
  return [Math.floor(step * (1 - backoff.jitter)), Math.ceil(Math.min(backoff.maxMs, step * (1 + backoff.jitter)))];
}

describe('a device paying through a relay restart on the embedded defaults', () => {
  let system!: DeviceSystem;
  const closeAfterTest = useDeviceSystem('embedded', (started) => (system = started));
  let down = false;
  const stopRelay = async () => {
    await system.stopBroker();
    down = true;
  };
  const restoreRelay = async () => {
    await system.restoreBroker();
    down = false;
  };
  // A failed test must not leave the next one without a relay.
  afterEach(async () => {
    starting.hold = undefined;
    if (down) await restoreRelay();
  });

  async function payingCar() {
    const device = await system.addDevice('cockpit', parkingRules(system.merchant.record.id));
    const backoff = { ...DEFAULT_BACKOFF, ...device.connection.backoff };
    const connection = closeAfterTest(new RelayConnection(device.connection));
    const pay = () => connection.request({
      type: 'intent.create', requestId: `pay-${randomString(12)}`,
      intent: IntentRequest.parse(cart(system.merchant.record.id, 7_00, { category: 'parking', channel: 'device-scan', context: { driving: true } })),
    });
    const log = record(connection);
    await until(() => connection.state === 'online');
    expect(await pay()).toMatchObject({ type: 'intent', intent: { status: 'approved' } });
    return { connection, backoff, pay, log };
  }

  it('reconnects on its backoff schedule, is let in at its first attempt after the relay serves, and resends its queued payment at once', async () => {
    const { backoff, pay, log } = await payingCar();
    log.push({ kind: 'relay stopping' });
    await stopRelay();
    const paying = pay();
    paying.catch(() => {}); // awaited below; closing the connection after a failed test rejects it
    // Down long enough for the schedule to reach its maximum and stay there.
    const cappedAt = Math.ceil(Math.log(backoff.maxMs / backoff.initialMs) / Math.log(backoff.factor)) + 1;
    await until(() => log.filter((e) => e.kind === 'reconnect').length >= cappedAt + 1);
    await restoreRelay();
    log.push({ kind: 'relay serving' });
    const answer = await paying;
    expect(answer).toMatchObject({ type: 'intent', intent: { status: 'approved' } });

    const stopped = log.findIndex((e) => e.kind === 'relay stopping');
    const serving = log.findIndex((e) => e.kind === 'relay serving');
    const reconnects = log.slice(stopped).flatMap((e) => (e.kind === 'reconnect' ? [e.event] : []));
    // Attempt n waits the n-th step of the schedule (jitter aside), and no step waits longer than the maximum.
    expect(reconnects.map((r) => r.attempt)).toEqual(reconnects.map((_, i) => i + 1));
    for (const { attempt, inMs } of reconnects) {
      const [low, high] = allowed(attempt, backoff);
      expect(inMs, `attempt ${attempt}`).toBeGreaterThanOrEqual(low);
      expect(inMs, `attempt ${attempt}`).toBeLessThanOrEqual(high);
    }
    expect(Math.max(...reconnects.map((r) => r.inMs))).toBeLessThanOrEqual(backoff.maxMs);
    // Once the relay serves, the attempt already scheduled gets in: no refusal, no further step.
    expect(log.slice(serving).filter((e) => e.kind === 'reconnect')).toEqual([]);
    // On the new connection the queued payment goes out first and at once (not at its resend timer), and that one send is answered.
    const online = lastOf(log, 'online');
    expect(online).toBeGreaterThan(stopped);
    const after = log.slice(online + 1).filter((e) => e.kind !== 'relay serving');
    expect(after[0]).toMatchObject({ kind: 'sent', event: { requestId: answer.requestId } });
    expect(after.filter((e) => e.kind === 'sent' && e.event.requestId === answer.requestId)).toHaveLength(1);
  });

  it('a device logging in while the relay starts is let in once it serves, not refused into a longer backoff', async () => {
    const { connection, pay, log } = await payingCar();
    log.push({ kind: 'relay stopping' });
    await stopRelay();
    const paying = pay();
    paying.catch(() => {}); // awaited below; closing the connection after a failed test rejects it
    let serve!: () => void;
    starting.hold = new Promise<void>((resolve) => (serve = resolve));
    starting.logins = [];
    const restored = restoreRelay();
    try {
      // The relay's own client is in and subscribed; the device's login reaches the broker before the relay serves.
      await until(() => starting.logins.includes(connection.deviceId), 15_000);
    } finally {
      serve();
      starting.hold = undefined;
    }
    await restored;
    log.push({ kind: 'relay serving' });
    expect(await paying).toMatchObject({ type: 'intent', intent: { status: 'approved' } });
    const loginAttempt = lastOf(log, 'reconnect');
    const online = lastOf(log, 'online');
    // The attempt that reached the starting relay is the one that got in: no "server unavailable", no further step.
    expect(log.filter((e) => e.kind === 'reconnect' && e.event.error !== undefined && isServerUnavailable(e.event.error))).toEqual([]);
    expect(online).toBeGreaterThan(loginAttempt);
    expect(log.slice(loginAttempt + 1).filter((e) => e.kind === 'reconnect')).toEqual([]);
    expect(starting.logins.filter((login) => login === connection.deviceId)).toHaveLength(1);
  });
});

describe("a broker that answers 'server unavailable'", () => {
  /** A broker on `port` that refuses the first `refusals` logins with CONNACK 3 and lets the rest in. */
  async function unavailableBroker(port: number, refusals: number): Promise<{ refused: number; close(): Promise<void> }> {
    const state = { refused: 0 };
    const broker = await Aedes.createBroker({
      authenticate(_client, _username, _password, done) {
        if (state.refused < refusals) {
          state.refused += 1;
          return done(Object.assign(new Error('server unavailable'), { returnCode: 3 as AuthErrorCode }), false);
        }
        done(null, true);
      },
    });
    const server: Server = createServer((socket) => broker.handle(socket));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return {
      get refused() {
        return state.refused;
      },
      async close() {
        await new Promise<void>((resolve) => broker.close(() => resolve()));
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  it('starts the schedule over when the broker answers again, instead of waiting the step it had reached', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise<void>((resolve) => free.close(() => resolve()));

    const backoff = { initialMs: 20, maxMs: 2_000, factor: 2, jitter: 0 };
    const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const connection = new RelayConnection({ url: `mqtt://127.0.0.1:${port}`, identity: { deviceId: 'dev_test', privateKey }, login: 'anonymous', backoff });
    const reconnects: ConnectionEvents['reconnect'][] = [];
    connection.events.on('reconnect', (event) => reconnects.push(event));
    let broker: Awaited<ReturnType<typeof unavailableBroker>> | undefined;
    try {
      // Nobody listens: the steps grow.
      await until(() => reconnects.length >= 4);
      broker = await unavailableBroker(port, 2);
      await until(() => connection.state === 'online');
      const refusals = reconnects.filter((r) => r.error !== undefined && isServerUnavailable(r.error));
      expect(refusals).toHaveLength(2);
      // The broker's first answer restarts the schedule; a second refusal in a row grows it again from there.
      expect(refusals.map((r) => [r.attempt, r.inMs])).toEqual([[1, 20], [2, 40]]);
    } finally {
      await connection.close();
      await broker?.close();
    }
  });
});
