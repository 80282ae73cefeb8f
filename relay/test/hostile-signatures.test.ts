import { generateSigningKey, type Intent, randomString, signCanonical } from '@agentpay/protocol';
import { CompactSign } from 'jose';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { connectPassword, DeviceClient } from './device-client.ts';
import { addActor, cart, dropSchema, setMandate, setUpParties, startTestRelay, STORES } from './harness.ts';

/** A JWS over exactly `payload`, canonical or not: what an attacker can put in a signature header. */
const signRaw = (payload: string, key: CryptoKey, kid: string) =>
  new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: 'ES256', kid }).sign(key);
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

/**
 * What a signature header and the dates in a body can carry beyond what the schemas of the bodies
 * see: each must be refused with a 4xx (or an error event) naming it, never a 500.
 */
describe.each(STORES)('hostile signatures and dates on %s', (store) => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startTestRelay(store);
  });
  afterAll(() => dropSchema(relay));

  it('refuses a signed payload nested thousands deep, from a stranger, a signer and a wallet document', async () => {
    const { wallet, agent } = await setUpParties(relay);
    const stranger = await generateSigningKey();
    const register = await fetch(`${relay.httpUrl}/v1/merchants`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Nobody', publicKey: stranger.publicJwk, origins: ['https://nobody.example'] }),
      headers: { 'content-type': 'application/json', 'x-agentpay-signature': await signRaw(deep(5000), stranger.privateKey, 'self'), 'idempotency-key': 'deep-1' },
    });
    expect(register.status).toBe(401);
    const read = await fetch(`${relay.httpUrl}/v1/intents/int_x`, { headers: { 'x-agentpay-signature': await signRaw(deep(5000), agent.signer.privateKey, agent.signer.id) } });
    expect(read.status).toBe(401);
    expect(await read.json()).toMatchObject({ error: { code: 'bad_signature', message: expect.stringContaining('nests deeper') } });
    const mandate = await wallet.client.send('PUT', `/v1/wallet/actors/${agent.record.id}/mandate`, { jws: await signRaw(deep(20000), wallet.signer.privateKey, wallet.signer.id) });
    expect(mandate.status).toBeLessThan(500);
    expect(mandate.status).toBeGreaterThanOrEqual(400);
  });

  it('refuses U+0000 in the signer id or the nonce with 401, over HTTP and MQTT', async () => {
    const { agent } = await setUpParties(relay);
    for (const kid of ['agt_\u0000', 'wal_\u0000x']) {
      const response = await fetch(`${relay.httpUrl}/v1/intents/int_x`, { headers: { 'x-agentpay-signature': await signCanonical({ aud: 'GET /v1/intents/int_x', ts: Date.now(), nonce: randomString(24) }, agent.signer.privateKey, kid) } });
      expect(response.status, kid).toBe(401);
    }
    const badNonce = await signCanonical({ aud: 'GET /v1/intents/int_x', ts: Date.now(), nonce: `${randomString(20)}\u0000` }, agent.signer.privateKey, agent.signer.id);
    expect((await fetch(`${relay.httpUrl}/v1/intents/int_x`, { headers: { 'x-agentpay-signature': badNonce } })).status).toBe(401);

    // A broker login naming such a signer is a refused login (CONNACK 4), not "server unavailable".
    const password = await signCanonical({ aud: 'mqtt connect', ts: Date.now(), nonce: randomString(24) }, agent.signer.privateKey, 'dev_\u0000');
    const login = mqtt.connectAsync(relay.mqttUrl, { protocolVersion: 4, clientId: 'nul-login', username: 'dev_\u0000', password, reconnectPeriod: 0, connectTimeout: 5000 });
    await expect(login).rejects.toMatchObject({ code: 4 });
  });

  it('answers a device a payload nested deep, or signed by a U+0000 signer, with an error event, not internal_error', async () => {
    const { wallet } = await setUpParties(relay);
    const car = await addActor(relay, wallet.client, 'device', 'cockpit');
    const device = await DeviceClient.connect({ url: relay.mqttUrl, signer: car.signer, protocolVersion: 4 });
    try {
      await device.publish(await signRaw(deep(20000), car.signer.privateKey, car.signer.id));
      const deepAnswer = await device.nextEvent((e) => e.type === 'error');
      expect(deepAnswer).toMatchObject({ type: 'error', error: { code: 'bad_signature' } });
      const topic = `agentpay/v1/devices/${car.record.id}/requests`;
      const body = { type: 'progress', requestId: `req-${randomString(12)}`, event: { taskId: 't', stage: 'searching' } };
      await device.publish(await signCanonical({ aud: `mqtt ${topic}`, ts: Date.now(), nonce: randomString(24), body }, car.signer.privateKey, 'dev_\u0000'));
      const nulAnswer = await device.nextEvent((e) => e.type === 'error');
      expect(nulAnswer).toMatchObject({ type: 'error', error: { code: 'unauthenticated' } });
    } finally {
      await device.client.endAsync(true);
    }
  });

  it('refuses dates a database cannot hold or a clock would never reach: year 0, a mandate from the future, an intent from the future', async () => {
    const { wallet, agent, merchant } = await setUpParties(relay);
    await expect(agent.client.post('/v1/progress', { taskId: 't', stage: 'searching', at: '0000-01-01T00:00:00Z' }))
      .rejects.toMatchObject({ status: 400, message: expect.stringContaining('at') });
    await expect(setMandate(wallet, agent.record.id, { kind: 'confirm_each', issuedAt: '9999-12-31T23:59:59.999Z' }))
      .rejects.toMatchObject({ status: 422, code: 'invalid_mandate', message: expect.stringContaining('future') });
    // A truthful mandate can still be set afterwards: nothing pinned itself.
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 100_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id] });
    await expect(agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 1_00, { createdAt: '2999-01-01T00:00:00Z' })))
      .rejects.toMatchObject({ status: 400, message: expect.stringContaining('createdAt') });
  });
});
