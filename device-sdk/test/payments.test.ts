import { type Intent, randomString } from '@agentpay/protocol';
import mqtt from 'mqtt';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { answer } from '../../relay/test/harness.ts';
import { RelayConnection } from '../src/connection/connection.ts';
import { Payments } from '../src/payments/pay.ts';
import type { PaymentRequest, PaymentResult } from '../src/payments/types.ts';
import { useDeviceSystem } from './hooks.ts';
import { BROKERS, type DeviceSystem, parkingRules, sleep, startTunnel, type TestDevice, until } from './system.ts';


describe.each(BROKERS)('paying from a device over the %s broker', (broker) => {
  let system!: DeviceSystem;
  const closeAfterTest = useDeviceSystem(broker, (started) => (system = started));

  async function car(): Promise<{ device: TestDevice; connection: RelayConnection; payments: Payments }> {
    const device = await system.addDevice('cockpit', parkingRules(system.merchant.record.id));
    const connection = new RelayConnection(device.connection);
    closeAfterTest(connection);
    return { device, connection, payments: new Payments({ connection, driving: () => true }) };
  }

  function parking(minor: number, extra: Partial<PaymentRequest> = {}): PaymentRequest {
    const reference = `park-${randomString(8)}`;
    system.gate.expect(reference, { minor, currency: 'CNY' });
    return {
      merchant: { id: system.merchant.record.id, name: 'Stadium Parking' },
      amount: { minor, currency: 'CNY' },
      category: 'parking',
      channel: 'device-scan',
      notify: { url: system.gate.notifyUrl, reference },
      ...extra,
    };
  }

  const intentsOf = (deviceId: string) => system.count('SELECT count(*) AS n FROM intents WHERE actor_id = $1', [deviceId]);
  const chargesFor = (reference: string) => system.gate.charges.filter((c) => c.reference === reference).length;

  it('pays within the mandate: the token goes to the gate, which charges it once', async () => {
    const { device, payments } = await car();
    const request = parking(12_00);
    const result = await payments.pay(request);
    expect(result).toMatchObject({ status: 'paid', amount: { minor: 12_00, currency: 'CNY' }, merchant: { name: 'Stadium Parking' }, reason: null });
    expect(chargesFor(request.notify!.reference)).toBe(1);
    expect(await intentsOf(device.actor.id)).toBe(1);
  });

  it('queues a payment made in a dead zone and pays it once when the broker is back', async () => {
    const { device, connection, payments } = await car();
    await until(() => connection.state === 'online');
    await system.stopBroker();
    await until(() => connection.state === 'offline');
    const request = parking(8_00);
    const paying = payments.pay(request);
    await sleep(300);
    expect(connection.queued.map((r) => r.type)).toContain('intent.create');
    await system.restoreBroker();
    const result = await paying;
    expect(result.status).toBe('paid');
    expect(chargesFor(request.notify!.reference)).toBe(1);
    expect(await intentsOf(device.actor.id)).toBe(1);
  });

  it('survives the broker stopping right after the intent went out: resent, charged exactly once', async () => {
    const { device, connection, payments } = await car();
    await until(() => connection.state === 'online');
    const request = parking(9_00);
    const sent = new Promise<void>((resolve) => connection.events.on('sent', ({ requestId }) => requestId.startsWith('pay-') && resolve()));
    const paying = payments.pay(request);
    await sent;
    await system.stopBroker();
    await sleep(200);
    await system.restoreBroker();
    const result = await paying;
    expect(result.status).toBe('paid');
    expect(chargesFor(request.notify!.reference)).toBe(1);
    expect(await intentsOf(device.actor.id)).toBe(1);
  });

  it('refuses a stale intent with a reason the device can speak', async () => {
    const { payments } = await car();
    const result = await payments.pay(parking(5_00, { askedAt: new Date(Date.now() - 11 * 60_000) }));
    expect(result).toMatchObject({ status: 'refused', code: 'stale_intent', intentId: null });
    expect(result.reason).toMatch(/minutes ago.*not paid/);
  });

  it('holds a payment above the rule until the wallet approves it, then pays', async () => {
    const { payments } = await car();
    const updates: PaymentResult[] = [];
    payments.events.on('payment', (r) => updates.push(r));
    const request = parking(80_00);
    const paying = payments.pay(request);
    await until(() => updates.some((u) => u.status === 'held'));
    const held = updates.find((u) => u.status === 'held')!;
    expect(held.reason).toMatch(/80\.00 CNY/);
    const shown = await system.wallet.client.get<Intent>(`/v1/intents/${held.intentId}`);
    await answer(system.wallet, shown, 'approve');
    expect(await paying).toMatchObject({ status: 'paid', intentId: held.intentId });
    expect(chargesFor(request.notify!.reference)).toBe(1);
  });

  it('pays a payment the wallet approved while the device was in a tunnel', async () => {
    const device = await system.addDevice('cockpit', parkingRules(system.merchant.record.id));
    const tunnel = await startTunnel(device.connection.url);
    const connection = new RelayConnection({ ...device.connection, url: tunnel.url });
    closeAfterTest(connection);
    const payments = new Payments({ connection, driving: () => true });
    const updates: PaymentResult[] = [];
    payments.events.on('payment', (r) => updates.push(r));
    const request = parking(70_00);
    const paying = payments.pay(request);
    await until(() => updates.some((u) => u.status === 'held'));
    const held = updates.find((u) => u.status === 'held')!;
    tunnel.cut();
    await until(() => connection.state === 'offline');
    // The relay's push of the approval reaches no one; after reconnecting, the device asks for the intent again.
    await answer(system.wallet, await system.wallet.client.get<Intent>(`/v1/intents/${held.intentId}`), 'approve');
    await sleep(200);
    tunnel.restore();
    expect(await paying).toMatchObject({ status: 'paid', intentId: held.intentId });
    expect(chargesFor(request.notify!.reference)).toBe(1);
    await tunnel.close();
  });

  it('settles a held payment when the device closes, naming the intent that stays in the wallet', async () => {
    const { connection, payments } = await car();
    const updates: PaymentResult[] = [];
    payments.events.on('payment', (r) => updates.push(r));
    const paying = payments.pay(parking(90_00));
    await until(() => updates.some((u) => u.status === 'held'));
    await connection.close();
    const result = await paying;
    expect(result).toMatchObject({ status: 'refused', code: 'closed', intentId: updates[0]!.intentId });
    expect(result.intentId).toMatch(/^int_/);
  });

  it("keeps another device's events out of reach", async () => {
    const thief = await system.addDevice('glasses');
    const { device, payments } = await car();
    const login = thief.connection.login === 'signed'
      ? { username: thief.actor.id, password: await (await import('../src/connection/login.ts')).credentialsFor('signed', thief.identity, Date.now()).then((c) => c.password) }
      : thief.connection.login;
    const spy = await mqtt.connectAsync(thief.connection.url, { protocolVersion: thief.connection.protocolVersion, reconnectPeriod: 0, ...(login as object) });
    const seen: string[] = [];
    spy.on('message', (topic) => seen.push(topic));
    for (const filter of [`agentpay/v1/devices/${device.actor.id}/events`, 'agentpay/v1/devices/+/events', '#']) {
      await spy.subscribeAsync(filter, { qos: 1 }).catch(() => {});
    }
    expect((await payments.pay(parking(3_00))).status).toBe('paid');
    await sleep(200);
    await spy.endAsync(true);
    expect(seen).toEqual([]);
  });

  it('sends nothing when no one could hand the token to the merchant', async () => {
    const { device, payments } = await car();
    const result = await payments.pay(parking(10_00, { notify: undefined }));
    expect(result).toMatchObject({ status: 'refused', code: 'no_delivery', intentId: null });
    expect(await intentsOf(device.actor.id)).toBe(0);
  });

  it('does not wait for ever on a merchant that never answers, and does not call it paid', async () => {
    const silent = createServer(() => {}); // takes the request, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const device = await system.addDevice('cockpit', parkingRules(system.merchant.record.id));
      const connection = new RelayConnection(device.connection);
      closeAfterTest(connection);
      const payments = new Payments({ connection, driving: () => true, deliveryTimeoutMs: 300 });
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/notify`;
      const result = await payments.pay(parking(7_00, { notify: { url, reference: 'never' } }));
      expect(result).toMatchObject({ status: 'refused', code: 'delivery_failed' });
      expect(result.reason).toMatch(/did not confirm/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('rejects a malformed request before anything is sent, naming the field', async () => {
    const { connection, payments } = await car();
    const result = await payments.pay(parking(10_00, { amount: { minor: 10.5, currency: 'CNY' } }));
    expect(result).toMatchObject({ status: 'refused', code: 'invalid_request' });
    expect(result.reason).toMatch(/amount\.minor/);
    await expect(connection.request({ type: 'intent.get', requestId: 'short', intentId: 'x' })).rejects.toThrow(/requestId/);
  });
});

// The embedded broker also listens for MQTT over WebSocket (/mqtt), the only way a browser can reach it.
describe('paying from a device over MQTT on WebSocket', () => {
  let system!: DeviceSystem;
  const closeAfterTest = useDeviceSystem('embedded', (started) => (system = started));

  it('pays as a browser-like runtime connects', async () => {
    const device = await system.addDevice('cockpit', parkingRules(system.merchant.record.id));
    expect(system.relay.mqttWsUrl).toMatch(/^ws:\/\/.*\/mqtt$/);
    const connection = closeAfterTest(new RelayConnection({ ...device.connection, url: system.relay.mqttWsUrl! }));
    const payments = new Payments({ connection, driving: () => true });
    const reference = `ws-${randomString(8)}`;
    system.gate.expect(reference, { minor: 6_00, currency: 'CNY' });
    const result = await payments.pay({
      merchant: { id: system.merchant.record.id, name: 'Stadium Parking' }, amount: { minor: 6_00, currency: 'CNY' }, category: 'parking',
      channel: 'device-scan', notify: { url: system.gate.notifyUrl, reference },
    });
    expect(result).toMatchObject({ status: 'paid', amount: { minor: 6_00 } });
    expect(system.gate.charges.filter((c) => c.reference === reference)).toHaveLength(1);
  });
});
