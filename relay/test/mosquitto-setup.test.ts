import type { Signer } from '@agentpay/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../src/mqtt/broker.ts';
import type { Relay } from '../src/relay.ts';
import { DeviceClient, newRequestId } from './device-client.ts';
import { type DocumentedMosquitto, eventually, startDocumentedMosquitto } from './mosquitto.ts';
import { addActor, dropSchema, setMandate, setUpParties, startTestRelay } from './harness.ts';

/** The relay's share group when MQTT_SHARE_GROUP is left at its documented default. */
const GROUP = 'agentpay-relay';

/** What a device may subscribe to that reaches past its own events: none of these may be granted. */
function rogueFilters(victim: string): string[] {
  return [
    `$share/${GROUP}/agentpay/v1/devices/+/requests`, // exactly the relay's own filter
    `$share/${GROUP}/agentpay/v1/devices/${victim}/requests`,
    `$share/${GROUP}/agentpay/v1/devices/+/+`,
    `$share/${GROUP}/agentpay/v1/#`,
    `$share/${GROUP}/#`,
    `$share/other/agentpay/v1/devices/+/requests`,
    'agentpay/v1/devices/+/requests',
    topics.events(victim),
    'agentpay/v1/devices/+/events',
    '#',
  ];
}

/** The reason code Mosquitto answers a subscription with (MQTT 5: 0x87 when refused; 3.1.1: 0x80). */
async function subscribeCode(client: MqttClient, filter: string): Promise<number> {
  try {
    const [granted] = await client.subscribeAsync(filter, { qos: 1 });
    return granted!.qos;
  } catch (error) {
    return (error as { code?: number; packet?: { granted?: number[] } }).packet?.granted?.[0] ?? (error as { code?: number }).code ?? -1;
  }
}

describe('a private Mosquitto 2 set up as docs/mqtt.md says', () => {
  let broker: DocumentedMosquitto;
  let relay: Relay;
  const clients: { endAsync(force?: boolean): Promise<void> }[] = [];

  beforeAll(async () => {
    broker = await startDocumentedMosquitto((url, username, password) =>
      mqtt.connectAsync(url, { protocolVersion: 5, username, password, reconnectPeriod: 0, connectTimeout: 1000 }, false),
    );
    relay = await startTestRelay('pglite', {
      mqttUrl: broker.mosquitto.url, mqttUsername: broker.relay.username, mqttPassword: broker.relay.password,
    });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    if (relay) await dropSchema(relay);
    await broker?.stop();
  });

  async function provisioned(signer: Signer) {
    const password = await broker.provisionDevice(signer.id);
    const login = (protocolVersion: 4 | 5 = 5, subscribe = true) =>
      eventually(() => DeviceClient.connect({ url: broker.mosquitto.url, signer, protocolVersion, subscribe, credentials: { username: signer.id, password } }))
        .then((d) => (clients.push(d.client), d));
    return { password, login };
  }

  it('lets a device use only its own topics, and the relay serve every device', async () => {
    const { wallet, merchant, agent } = await setUpParties(relay, { agentKind: 'device', profile: 'cockpit' });
    const other = await addActor(relay, wallet.client, 'device', 'cockpit');
    await setMandate(wallet, agent.record.id, {
      kind: 'quota', budget: { minor: 100_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id],
    });
    const mine = await provisioned(agent.signer);
    const theirs = await provisioned(other.signer);
    const device = await mine.login();
    const otherDevice = await theirs.login();

    // Refused logins: anonymous, a wrong password, another device's password.
    for (const credentials of [{}, { username: agent.record.id, password: 'wrong' }, { username: agent.record.id, password: theirs.password }]) {
      await expect(
        mqtt.connectAsync(broker.mosquitto.url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 2000, ...credentials }, false),
        JSON.stringify(credentials),
      ).rejects.toMatchObject({ code: 135 }); // CONNACK 0x87 Not authorized
    }

    // The device's own request is served.
    const request = {
      type: 'intent.create', requestId: newRequestId(),
      intent: { merchantId: merchant.record.id, amount: { minor: 9_00, currency: 'CNY' }, lineItems: [], category: 'parking', channel: 'device-voice' },
    };
    expect(await device.request(request)).toMatchObject({ type: 'intent', intent: { status: 'approved', token: { maxMinor: 9_00 } } });

    // Publishing on the other device's topic: PUBACK 0x87, and the relay never sees it.
    const forged = await device.sign({ ...request, requestId: newRequestId() }, { topic: topics.requests(other.record.id) });
    await expect(device.client.publishAsync(topics.requests(other.record.id), forged, { qos: 1 })).rejects.toMatchObject({ code: 135 });

    const progress = { type: 'progress', requestId: newRequestId(), event: { taskId: 'tsk_acl', stage: 'searching' } };
    expect(await otherDevice.request(progress)).toEqual({ type: 'progress.ack', requestId: progress.requestId });
    expect(otherDevice.received).toEqual([{ type: 'progress.ack', requestId: progress.requestId }]); // no error from the forged request
  });

  it("refuses every subscription past a device's own events, so a rogue device neither reads nor steals another device's requests", async () => {
    const { wallet } = await setUpParties(relay, { agentKind: 'device', profile: 'cockpit' });
    const victim = await addActor(relay, wallet.client, 'device', 'cockpit');
    const rogue = await addActor(relay, wallet.client, 'device', 'cockpit');
    const victimDevice = await (await provisioned(victim.signer)).login();
    const rogueLogin = await provisioned(rogue.signer);

    // Three rogue sessions (one on MQTT 3.1.1), each trying to join the relay's share group every way it can.
    const stolen: string[] = [];
    for (const protocolVersion of [5, 5, 4] as const) {
      const session = await rogueLogin.login(protocolVersion, false);
      session.client.on('message', (topic) => stolen.push(topic));
      for (const filter of rogueFilters(victim.record.id)) {
        expect([0x80, 0x87], `${filter} (MQTT ${protocolVersion === 5 ? 5 : '3.1.1'})`).toContain(await subscribeCode(session.client, filter));
      }
      // Its own events stay open to it.
      expect(await subscribeCode(session.client, topics.events(rogue.record.id))).toBe(1);
    }

    // All 20 of the victim's requests reach the relay and are answered.
    const requests = Array.from({ length: 20 }, (_, i) => ({
      type: 'progress', requestId: newRequestId(), event: { taskId: 'tsk_share', stage: 'searching', message: `step ${i}` },
    }));
    const answers = await Promise.allSettled(requests.map((r) => victimDevice.request(r, { timeoutMs: 5000 })));
    const lost = requests.filter((_, i) => answers[i]!.status === 'rejected').map((r) => r.requestId);
    expect(lost, `${lost.length} of 20 requests were never answered`).toEqual([]);
    expect(stolen).toEqual([]);
  });
});
