import type { Actor, Charge, Intent, Signer } from '@agentpay/protocol';
import { generateSigningKey, randomString } from '@agentpay/protocol';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { topics } from '../src/mqtt/broker.ts';
import type { RelayConfigInput } from '../src/config.ts';
import type { Relay } from '../src/relay.ts';
import { newVaultKey } from '../src/vault/vault.ts';
import { type PrivateMosquitto, sleep, startMosquitto } from './mosquitto.ts';
import { connectPassword, DeviceClient, type DeviceRequestBody, fromForeignRelay, newRequestId } from './device-client.ts';
import {
  addActor, answer, cart, dropSchema, type Party, setMandate, setUpParties, startTestRelay, type StoreKind,
} from './harness.ts';

interface BrokerCase {
  name: string;
  store: StoreKind;
  external: boolean;
}

const BROKERS: BrokerCase[] = [
  { name: 'the embedded broker', store: 'pglite', external: false },
  { name: 'Mosquitto', store: 'postgres', external: true },
];

/** "parking under 50.00 CNY, while driving, at this merchant". */
function parkingRules(merchantId: string) {
  return {
    kind: 'rules' as const,
    rules: [
      {
        id: 'parking',
        description: 'parking under 50 CNY while driving',
        currency: 'CNY',
        maxPerPaymentMinor: 50_00,
        merchants: { allow: [merchantId] },
        categories: { allow: ['parking'] },
        whileDriving: true,
      },
    ],
  };
}

function parking(merchantId: string, minor: number, extra: Record<string, unknown> = {}) {
  return cart(merchantId, minor, { category: 'parking', channel: 'device-voice', context: { driving: true }, ...extra });
}

function createRequest(merchantId: string, minor: number, extra: Record<string, unknown> = {}, requestId = newRequestId()) {
  return { type: 'intent.create', requestId, intent: parking(merchantId, minor, extra) } satisfies DeviceRequestBody;
}

/** Narrows an event to an `intent` answer and returns its intent. */
function intentOf(event: { type: string; intent?: unknown }): Intent {
  expect(event.type).toBe('intent');
  return event.intent as Intent;
}

async function count(relay: Relay, sql: string, params: unknown[]): Promise<number> {
  const [row] = await relay.ctx.db.query<{ n: number }>(sql, params);
  return Number(row!.n);
}


describe.each(BROKERS)('devices over MQTT on $name ($store)', ({ store, external }) => {
  let mosquitto: PrivateMosquitto | undefined;
  let relayConfig: RelayConfigInput = {};
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;
  let device: DeviceClient;
  const devices: DeviceClient[] = [];

  const connect = async (signer: Signer, extra: Partial<Parameters<typeof DeviceClient.connect>[0]> = {}) => {
    const client = await DeviceClient.connect({
      url: relay.mqttUrl,
      signer,
      protocolVersion: external ? 5 : 4,
      // This Mosquitto allows anonymous clients; the embedded broker wants a signed login.
      credentials: external ? 'none' : 'signed',
      ...(external ? { ignore: fromForeignRelay(signer.id) } : {}),
      ...extra,
    });
    devices.push(client);
    return client;
  };

  const intentsOf = (actorId: string) => count(relay, 'SELECT count(*) AS n FROM intents WHERE actor_id = $1', [actorId]);

  beforeAll(async () => {
    if (external) {
      // TEST_MQTT_URL picks an existing broker instead; then nothing else may serve agentpay/v1 topics on it.
      const url = process.env.TEST_MQTT_URL ?? (mosquitto = await startMosquitto({
        settings: () => ['allow_anonymous true'],
        probe: (u) => mqtt.connectAsync(u, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 1000 }, false),
      })).url;
      // Two relays on one schema must share the vault key, or one could not re-derive the other's token secrets.
      relayConfig = { mqttUrl: url, mqttShareGroup: `g${randomString(12)}`, vaultKey: newVaultKey() };
    }
    relay = await startTestRelay(store, relayConfig);
  });
  // Each test its own wallet, car (on the parking rules) and merchant, connected afresh: nothing one test
  // spends, asks or reconnects reaches another.
  beforeEach(async () => {
    parties = await setUpParties(relay, { agentKind: 'device', profile: 'cockpit' });
    await setMandate(parties.wallet, parties.agent.record.id, parkingRules(parties.merchant.record.id));
    device = await connect(parties.agent.signer);
  });
  afterEach(async () => {
    // Every event a device got was the answer some request or nextEvent waited for: no duplicates, no strays.
    await sleep(30);
    for (const d of devices) expect(d.unclaimed(), d.id).toEqual([]);
    await Promise.all(devices.splice(0).map((d) => d.close()));
  });
  afterAll(async () => {
    await Promise.all(devices.map((d) => d.close()));
    if (relay) await dropSchema(relay);
    await mosquitto?.stop();
  });

  it('approves an intent within the rules mandate with a token, and the merchant charges it', async () => {
    const { merchant, agent } = parties;
    const request = createRequest(merchant.record.id, 12_00, { taskId: 'tsk_parking_1' });
    const event = await device.request(request);
    expect(event.requestId).toBe(request.requestId);
    const intent = intentOf(event);
    expect(intent).toMatchObject({ actorId: agent.record.id, status: 'approved', category: 'parking', channel: 'device-voice' });
    expect(intent.decision).toMatchObject({ outcome: 'approve', ruleId: 'parking', reasons: [{ code: 'rule_matched' }] });
    expect(intent.token).toMatchObject({ merchantId: merchant.record.id, currency: 'CNY', maxMinor: 12_00 });

    const charge = await merchant.client.post<Charge>('/v1/merchant/charges', { token: intent.token!.secret, amount: { minor: 12_00, currency: 'CNY' } });
    expect(charge).toMatchObject({ intentId: intent.id, status: 'succeeded', amount: { minor: 12_00, currency: 'CNY' } });
  });

  it('holds an intent above the rule; the wallet approves over HTTP and the device is pushed the token', async () => {
    const { merchant, wallet } = parties;
    const request = createRequest(merchant.record.id, 80_00);
    const held = intentOf(await device.request(request));
    expect(held.status).toBe('pending_confirmation');
    expect(held.decision.reasons[0]!.code).toBe('no_rule_matched');
    expect(held.token).toBeUndefined();

    const pushed = device.nextEvent((e) => e.requestId === null && e.type === 'intent' && (e.intent as Intent).id === held.id);
    const approved = await answer(wallet, held, 'approve');
    expect(approved.status).toBe('approved');
    expect(approved.token).toBeUndefined(); // the token is for the device only

    const event = await pushed;
    expect(event).toMatchObject({ type: 'intent', requestId: null });
    const intent = intentOf(event);
    expect(intent).toMatchObject({ id: held.id, status: 'approved', token: { merchantId: merchant.record.id, maxMinor: 80_00 } });
    const charge = await merchant.client.post<Charge>('/v1/merchant/charges', { token: intent.token!.secret, amount: { minor: 75_00, currency: 'CNY' } });
    expect(charge).toMatchObject({ intentId: held.id, amount: { minor: 75_00 } });
    // Exactly one push for this intent.
    await sleep(100);
    expect(device.received.filter((e) => e.requestId === null && (e as { intent?: Intent }).intent?.id === held.id)).toHaveLength(1);

    // intent.get reads it back; once charged, the token is no longer handed out.
    const get = { type: 'intent.get', requestId: newRequestId(), intentId: held.id };
    const read = intentOf(await device.request(get));
    expect(read).toMatchObject({ id: held.id, status: 'approved' });
    expect(read.token).toBeUndefined();
    const missing = { type: 'intent.get', requestId: newRequestId(), intentId: 'int_doesnotexist' };
    expect(await device.request(missing)).toMatchObject({ type: 'error', requestId: missing.requestId, error: { code: 'not_found' } });
  });

  it('answers a resent requestId with the same intent and token, after a reconnect too, and charges once', async () => {
    const { merchant, agent } = parties;
    const before = await intentsOf(agent.record.id);
    const request = createRequest(merchant.record.id, 20_00);
    const firstPayload = await device.sign(request);
    const first = intentOf(await device.request(request, { payload: firstPayload }));
    expect(first.status).toBe('approved');

    // The device loses its connection, reconnects with a fresh login, and sends the request again,
    // once freshly signed (new nonce) and once byte for byte as before.
    await device.close();
    device = await connect(agent.signer);
    const again = intentOf(await device.request(request));
    const sameBytes = intentOf(await device.request(request, { payload: firstPayload }));
    for (const replay of [again, sameBytes]) {
      expect(replay.id).toBe(first.id);
      expect(replay.status).toBe('approved');
      expect(replay.token).toEqual(first.token);
    }
    expect(await intentsOf(agent.record.id)).toBe(before + 1);
    expect(await count(relay, 'SELECT count(*) AS n FROM tokens WHERE intent_id = $1', [first.id])).toBe(1);

    // The same requestId with a different body is refused, not mistaken for a resend.
    const changed = { ...request, intent: parking(merchant.record.id, 21_00) };
    const refused = await device.request(changed);
    expect(refused).toMatchObject({ type: 'error', requestId: request.requestId, error: { code: 'idempotency_key_reused' } });

    await merchant.client.post('/v1/merchant/charges', { token: first.token!.secret, amount: { minor: 20_00, currency: 'CNY' } });
    await expect(
      merchant.client.post('/v1/merchant/charges', { token: again.token!.secret, amount: { minor: 20_00, currency: 'CNY' } }),
    ).rejects.toMatchObject({ code: 'token_already_used' });
    expect(await count(relay, 'SELECT count(*) AS n FROM charges WHERE intent_id = $1', [first.id])).toBe(1);
    expect(await intentsOf(agent.record.id)).toBe(before + 1);
  });

  it('refuses a stale intent with a speakable stale_intent error', async () => {
    const { merchant, agent } = parties;
    const before = await intentsOf(agent.record.id);
    const createdAt = new Date(Date.now() - 20 * 60_000).toISOString();
    const request = createRequest(merchant.record.id, 10_00, { createdAt });
    const event = await device.request(request);
    expect(event).toMatchObject({ type: 'error', requestId: request.requestId, error: { code: 'stale_intent' } });
    const { message } = (event as { error: { message: string } }).error;
    expect(message).toMatch(/^This payment was asked for 20 minutes ago, .*not paid\. Please ask again\.$/);
    expect(message).not.toMatch(/[{}_]|int_|\d{4}-\d{2}/); // no JSON, ids or timestamps to read out
    expect(await intentsOf(agent.record.id)).toBe(before);
  });

  it('answers malformed payloads with an error on the device topic and keeps serving', async () => {
    const { merchant, wallet, agent } = parties;
    const other = await addActor(relay, wallet.client, 'device', 'cockpit');
    const before = await intentsOf(agent.record.id);
    const valid = createRequest(merchant.record.id, 5_00);
    const errorsBefore = device.received.filter((e) => e.type === 'error').length;

    const stranger = { id: 'dev_notregisteredhere00', privateKey: (await generateSigningKey()).privateKey };
    const cases: { name: string; payload: () => Promise<string> | string; requestId: string | null; code: string; message: RegExp }[] = [
      { name: 'an empty payload', payload: () => '', requestId: null, code: 'bad_signature', message: /^the payload is empty/ },
      { name: 'not a JWS', payload: () => 'pay 5 CNY please', requestId: null, code: 'bad_signature', message: /not a compact JWS/ },
      { name: 'unsigned JSON', payload: () => JSON.stringify(valid), requestId: null, code: 'bad_signature', message: /not a compact JWS/ },
      {
        name: "another device's key on this device's topic",
        payload: () => device.sign(valid, { signer: other.signer }),
        requestId: null,
        code: 'forbidden',
        message: new RegExp(`${other.record.id} may not publish on ${agent.record.id}'s topic`),
      },
      {
        name: 'an unregistered key',
        payload: () => device.sign(valid, { signer: stranger }),
        requestId: null,
        code: 'unauthenticated',
        message: /^unknown signer "dev_notregisteredhere00"/,
      },
      {
        name: "signed for another device's topic",
        payload: () => device.sign(valid, { topic: topics.requests(other.record.id) }),
        requestId: null,
        code: 'bad_signature',
        message: /the signature is for "mqtt agentpay\/v1\/devices\/.+\/requests", not/,
      },
      {
        name: 'signed too long ago',
        payload: () => device.sign(valid, { now: Date.now() - 10 * 60_000 }),
        requestId: null,
        code: 'stale_request',
        message: /signed 600 s away from the relay's clock/,
      },
      {
        name: 'a valid signature over an invalid body',
        payload: () => device.sign({ type: 'intent.create', requestId: 'req-invalid-amount', intent: parking(merchant.record.id, -5) }),
        requestId: 'req-invalid-amount',
        code: 'invalid_request',
        message: /^the device request is invalid: intent\.amount\.minor/,
      },
      {
        name: 'an unknown request type',
        payload: () => device.sign({ type: 'intent.pay', requestId: 'req-unknown-type' }),
        requestId: 'req-unknown-type',
        code: 'invalid_request',
        message: /^the device request is invalid: type/,
      },
    ];
    for (const c of cases) {
      const answered = device.nextEvent((e) => e.type === 'error' && e.requestId === c.requestId);
      await device.publish(await c.payload());
      const event = await answered;
      expect(event, c.name).toMatchObject({ type: 'error', requestId: c.requestId, error: { code: c.code } });
      expect((event as { error: { message: string } }).error.message, c.name).toMatch(c.message);
    }
    expect(device.received.filter((e) => e.type === 'error')).toHaveLength(errorsBefore + cases.length);
    expect(device.garbage).toEqual([]);
    expect(await intentsOf(agent.record.id)).toBe(before);
    expect(await intentsOf(other.record.id)).toBe(0);

    // Still serving, on the same connection.
    const ok = intentOf(await device.request(valid));
    expect(ok.status).toBe('approved');
    expect(await intentsOf(agent.record.id)).toBe(before + 1);
  });

  it('acknowledges progress events, and the wallet sees them in the task timeline', async () => {
    const { wallet, agent } = parties;
    const taskId = `tsk_${randomString(10)}`;
    const searching = { type: 'progress', requestId: newRequestId(), event: { taskId, stage: 'searching', message: 'Looking for parking near the stadium' } };
    expect(await device.request(searching)).toEqual({ type: 'progress.ack', requestId: searching.requestId });
    const found = { type: 'progress', requestId: newRequestId(), event: { taskId, stage: 'found', message: 'P2 garage, 8 CNY an hour' } };
    expect(await device.request(found)).toEqual({ type: 'progress.ack', requestId: found.requestId });
    // A resend is acknowledged again but recorded once.
    expect(await device.request(found)).toEqual({ type: 'progress.ack', requestId: found.requestId });

    const timeline = await wallet.client.get<{ taskId: string; steps: { stage: string; message: string | null; actorId: string; intentId: string | null }[] }>(
      `/v1/wallet/tasks/${taskId}`,
    );
    expect(timeline.taskId).toBe(taskId);
    expect(timeline.steps).toEqual([
      expect.objectContaining({ stage: 'searching', message: 'Looking for parking near the stadium', actorId: agent.record.id, intentId: null }),
      expect.objectContaining({ stage: 'found', message: 'P2 garage, 8 CNY an hour', actorId: agent.record.id, intentId: null }),
    ]);
  });

  // Broker-specific tests are declared only where they apply, so that no test reports as skipped.
  if (!external) it("embedded broker: a device cannot read another device's events, publish on its topic, or log in without a fresh signed password", async () => {
    const { wallet, agent } = parties;
    const other = await addActor(relay, wallet.client, 'device', 'cockpit');
    const otherDevice = await connect(other.signer);

    // SUBACK 0x80 for another device's topic and for wildcards; the connection stays up.
    for (const filter of [topics.events(other.record.id), 'agentpay/v1/devices/+/events', 'agentpay/v1/#']) {
      await expect(device.client.subscribeAsync(filter, { qos: 1 }), filter).rejects.toMatchObject({ packet: { granted: [128] } });
    }
    const progress = { type: 'progress', requestId: newRequestId(), event: { taskId: 'tsk_after_suback', stage: 'searching' } };
    expect(await device.request(progress)).toEqual({ type: 'progress.ack', requestId: progress.requestId });

    // Logins the broker refuses with CONNACK 4 (bad user name or password).
    const refused = async (username: string, password: string) => {
      const attempt = mqtt.connectAsync(relay.mqttUrl, { protocolVersion: 4, username, password, reconnectPeriod: 0, connectTimeout: 3000 });
      await expect(attempt, `${username} / ${password.slice(0, 20)}`).rejects.toMatchObject({ code: 4 });
    };
    await refused(agent.record.id, 'not-a-signature');
    await refused(agent.record.id, await connectPassword(other.signer)); // the other device's signature
    await refused(agent.record.id, await connectPassword(agent.signer, Date.now() - 10 * 60_000)); // stale
    await refused('relay', 'guessed-relay-secret');
    const password = await connectPassword(agent.signer);
    const once = await mqtt.connectAsync(relay.mqttUrl, { protocolVersion: 4, username: agent.record.id, password, reconnectPeriod: 0 });
    await once.endAsync(true);
    await refused(agent.record.id, password); // replayed

    // Publishing on another device's requests topic gets the connection closed, and nothing reaches the relay.
    const intruder = await connect(agent.signer, { clientId: `${agent.record.id}-intruder` });
    const closed = new Promise<void>((resolve) => intruder.client.once('close', () => resolve()));
    intruder.client.publish(topics.requests(other.record.id), await intruder.sign(progress, { topic: topics.requests(other.record.id) }), { qos: 1 }, () => {});
    await closed;
    await sleep(100);
    expect(otherDevice.received).toEqual([]);
    expect(intruder.received).toEqual([]);
  });

  if (external) it('Mosquitto: two relays on one schema and one share group answer every request exactly once', async () => {
    const { wallet, merchant } = parties;
    const second = await startTestRelay(store, { ...relayConfig, databaseSchema: relay.ctx.config.databaseSchema });
    const stop = new AbortController();
    try {
      const handled = new Map<Relay, number>([[relay, 0], [second, 0]]);
      for (const r of [relay, second]) {
        r.ctx.events.subscribe((e) => {
          if (e.type === 'intent.updated' && e.cause === 'created') handled.set(r, handled.get(r)! + 1);
        }, stop.signal);
      }

      const fleet = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const actor: Party<Actor> = await addActor(relay, wallet.client, 'device', 'cockpit');
          await setMandate(wallet, actor.record.id, parkingRules(merchant.record.id));
          return connect(actor.signer);
        }),
      );
      const PER_DEVICE = 6;
      const sent = fleet.flatMap((d) => Array.from({ length: PER_DEVICE }, (_, i) => ({ d, request: createRequest(merchant.record.id, 1_00 + i) })));
      const answers = await Promise.all(sent.map(({ d, request }) => d.request(request)));

      for (const [i, event] of answers.entries()) {
        expect(event.requestId).toBe(sent[i]!.request.requestId);
        expect(intentOf(event).status).toBe('approved');
      }
      expect(new Set(answers.map((e) => intentOf(e).id)).size).toBe(sent.length);

      await sleep(300); // a duplicate answer would arrive by now
      for (const d of fleet) {
        expect(d.received).toHaveLength(PER_DEVICE);
        expect(new Set(d.received.map((e) => e.requestId)).size).toBe(PER_DEVICE);
        expect(d.unclaimed()).toEqual([]);
        expect(await intentsOf(d.id)).toBe(PER_DEVICE);
      }
      const [a, b] = [handled.get(relay)!, handled.get(second)!];
      expect(a + b).toBe(sent.length);
      expect(a, `first relay handled ${a}, second ${b}`).toBeGreaterThan(0);
      expect(b, `first relay handled ${a}, second ${b}`).toBeGreaterThan(0);
    } finally {
      stop.abort();
      await second.close(); // the schema is shared: the first relay drops it at the end
    }
  });
});
