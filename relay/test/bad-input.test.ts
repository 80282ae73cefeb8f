import { type Intent, generateSigningKey, newId, RelayHttpClient, signCanonical } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { DeviceClient, newRequestId } from './device-client.ts';
import { STORES, cart, dropSchema, setMandate, setUpParties, startTestRelay } from './harness.ts';

/**
 * Bad input is refused at the edge with a 4xx that names the field, never a 500, on both
 * stores, over HTTP and MQTT: NUL and other control characters, lone surrogates, time zones
 * that are not IANA zones, and one key registered twice at the same moment.
 */

const NUL = 'a\u0000b';
const LONE = 'tea\uD800pot';
const ESC = 'x\u001b[31my';
const HOSTILE: [string, string][] = [['U+0000', NUL], ['a lone surrogate', LONE], ['an escape character', ESC]];

type Parties = Awaited<ReturnType<typeof setUpParties>>;

interface Case {
  /** The field the answer must name, as a dotted path. */
  field: string;
  /** Sends the request with `bad` in that field; resolves to the HTTP answer. */
  send: (p: Parties, bad: string, relay: Relay) => Promise<Response>;
  /** Expected status and code (default 400 invalid_request). */
  status?: number;
  code?: string;
}

const intent = (p: Parties, extra: Record<string, unknown>) =>
  p.agent.client.send('POST', '/v1/intents', cart(p.merchant.record.id, 12_00, extra));

const signMandate = async (p: Parties, mandate: Record<string, unknown>) => {
  const document = { v: 1, walletId: p.wallet.record.id, actorId: p.agent.record.id, issuedAt: new Date().toISOString(), ...mandate };
  return p.wallet.client.send('PUT', `/v1/wallet/actors/${p.agent.record.id}/mandate`, { jws: await signCanonical(document, p.wallet.signer.privateKey, p.wallet.record.id) });
};
const quota = { kind: 'quota', budget: { minor: 100_00, currency: 'CNY' }, period: 'month' };
const rule = { id: 'r1', currency: 'CNY', maxPerPaymentMinor: 50_00 };

const selfSigned = async (relay: Relay, path: string, body: (publicKey: unknown) => Record<string, unknown>) => {
  const key = await generateSigningKey();
  return new RelayHttpClient(relay.httpUrl, undefined).as({ id: 'self', privateKey: key.privateKey }).send('POST', path, body(key.publicJwk));
};

const CASES: Case[] = [
  { field: 'lineItems.0.name', send: (p, bad) => intent(p, { lineItems: [{ name: bad, quantity: 1, unitMinor: 12_00 }] }) },
  { field: 'description', send: (p, bad) => intent(p, { description: bad }) },
  { field: 'taskId', send: (p, bad) => intent(p, { taskId: bad }) },
  { field: 'evidence.transcript', send: (p, bad) => intent(p, { evidence: { transcript: bad } }) },
  { field: 'evidence', send: (p, bad) => intent(p, { evidence: { [bad]: 'said yes' } }) },
  { field: 'context.origin', send: (p, bad) => intent(p, { context: { origin: bad } }) },
  { field: 'merchantId', send: (p, bad) => p.agent.client.send('POST', '/v1/intents', { ...cart(p.merchant.record.id, 12_00), merchantId: bad }) },
  { field: 'taskId', send: (p, bad) => p.agent.client.send('POST', '/v1/progress', { taskId: bad, stage: 'searching' }) },
  { field: 'message', send: (p, bad) => p.agent.client.send('POST', '/v1/progress', { taskId: 'tsk_1', stage: 'searching', message: bad }) },
  { field: 'intentId', send: (p, bad) => p.agent.client.send('POST', '/v1/progress', { taskId: 'tsk_1', stage: 'searching', intentId: bad }) },
  { field: 'reference', send: (p, bad) => p.merchant.client.send('POST', '/v1/merchant/charges', { token: 'tks_x', amount: { minor: 1, currency: 'CNY' }, reference: bad }) },
  { field: 'token', send: (p, bad) => p.merchant.client.send('POST', '/v1/merchant/charges', { token: bad, amount: { minor: 1, currency: 'CNY' } }) },
  { field: 'reason', send: (p, bad) => p.merchant.client.send('POST', `/v1/merchant/charges/${newId('charge')}/refunds`, { reason: bad }) },
  { field: 'name', send: async (p, bad) => p.wallet.client.send('POST', '/v1/wallet/actors', { kind: 'agent', name: bad, publicKey: (await generateSigningKey()).publicJwk }) },
  { field: 'name', send: (_p, bad, relay) => selfSigned(relay, '/v1/merchants', (publicKey) => ({ name: bad, publicKey, origins: ['https://shop.example'] })) },
  { field: 'name', send: (_p, bad, relay) => selfSigned(relay, '/v1/wallets', (publicKey) => ({ name: bad, publicKey, pairingCode: relay.ctx.pairingCode })) },
  { field: 'name', send: (p, bad) => p.wallet.client.send('PATCH', `/v1/wallet/actors/${p.agent.record.id}`, { name: bad }) },
  { field: 'reason', send: (p, bad) => p.wallet.client.send('POST', `/v1/wallet/records/${newId('intent')}/reverse`, { reason: bad }) },
  { field: 'description', status: 422, code: 'invalid_mandate', send: (p, bad) => signMandate(p, { kind: 'rules', rules: [{ ...rule, description: bad }] }) },
  { field: 'id', status: 422, code: 'invalid_mandate', send: (p, bad) => signMandate(p, { kind: 'rules', rules: [{ ...rule, id: bad }] }) },
  { field: 'merchants', status: 422, code: 'invalid_mandate', send: (p, bad) => signMandate(p, { ...quota, merchants: [bad] }) },
  { field: 'block.merchants', status: 422, code: 'invalid_mandate', send: (p, bad) => signMandate(p, { ...quota, block: { merchants: [bad] } }) },
  { field: 'timeZone', status: 422, code: 'invalid_mandate', send: (p, bad) => signMandate(p, { ...quota, timeZone: bad }) },
];

for (const store of STORES) {
  describe(`bad input is refused at the edge, naming the field (${store})`, () => {
    let relay: Relay;
    let p: Parties;

    beforeAll(async () => {
      relay = await startTestRelay(store);
      p = await setUpParties(relay, { agentKind: 'device', profile: 'cockpit' });
    });
    afterAll(async () => {
      if (relay) await dropSchema(relay);
    });

    const table = CASES.flatMap((c) => HOSTILE.map(([what, bad]) => ({ ...c, what, bad })));
    it.each(table)('HTTP: $field with $what', async ({ field, send, bad, status, code }) => {
      const response = await send(p, bad, relay);
      const body = (await response.json()) as { error: { code: string; message: string; details?: { path: string }[] } };
      expect(response.status, JSON.stringify(body)).toBe(status ?? 400);
      expect(body.error.code).toBe(code ?? 'invalid_request');
      expect(body.error.message).toContain(field);
    });

    it('HTTP: an id in the path with U+0000 or a control character is refused naming it', async () => {
      for (const bad of ['%00', 'int_%00x', '%1B%5B2J']) {
        for (const [client, path] of [[p.wallet.client, `/v1/wallet/actors/${bad}`], [p.agent.client, `/v1/intents/${bad}`], [p.merchant.client, `/v1/merchant/charges/${bad}`]] as const) {
          const response = await client.send('GET', path);
          const body = (await response.json()) as { error: { code: string; message: string } };
          expect(response.status, `${path}: ${JSON.stringify(body)}`).toBe(400);
          expect(body.error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('id') });
        }
      }
    });

    it('HTTP: a quota or a time window in a zone that is not an IANA time zone is refused naming timeZone', async () => {
      for (const zone of ['Mars/Olympus_Mons', 'UTC+8', '+08:00', '']) {
        const response = await signMandate(p, { ...quota, timeZone: zone });
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(response.status, zone).toBe(422);
        expect(body.error).toMatchObject({ code: 'invalid_mandate', message: expect.stringContaining('timeZone') });
      }
      const windowed = await signMandate(p, { kind: 'rules', rules: [{ ...rule, timeWindow: { start: '08:00', end: '20:00', timeZone: 'Nowhere/Land' } }] });
      expect(windowed.status).toBe(422);
      // Real zones, aliases included, still work.
      for (const zone of ['Asia/Shanghai', 'UTC', 'America/Argentina/Buenos_Aires', 'Asia/Calcutta']) {
        expect((await signMandate(p, { ...quota, timeZone: zone })).status, zone).toBe(200);
      }
    });

    it('HTTP: nothing was written by the refused intents, and good text with tabs and newlines in free text still pays', async () => {
      const { records } = await p.wallet.client.get<{ records: unknown[] }>('/v1/wallet/records');
      expect(records).toEqual([]);
      await setMandate(p.wallet, p.agent.record.id, { ...quota, merchants: [p.merchant.record.id] } as never);
      const ok = await p.agent.client.post<Intent>('/v1/intents', cart(p.merchant.record.id, 12_00, {
        channel: 'device-voice',
        lineItems: [{ name: 'Tea 🍵 茶 — “Oolong”', quantity: 1, unitMinor: 12_00 }],
        description: 'first line\nsecond\tline',
        evidence: { transcript: 'pay for the tea\nyes' },
      }));
      expect(ok.status).toBe('approved');
    });

    it('HTTP: one key registered twice at the same moment: one registration, the other told 409 naming the key', async () => {
      const key = await generateSigningKey();
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) =>
        p.wallet.client.send('POST', '/v1/wallet/actors', { kind: 'agent', name: `Twin ${i}`, publicKey: key.publicJwk })));
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
      for (const r of answers.filter((a) => a.status === 409)) {
        expect(((await r.json()) as { error: { message: string } }).error.message).toContain('public key is already registered');
      }

      const walletKey = await generateSigningKey();
      const anon = new RelayHttpClient(relay.httpUrl, undefined).as({ id: 'self', privateKey: walletKey.privateKey });
      const wallets = await Promise.all(Array.from({ length: 6 }, () =>
        anon.send('POST', '/v1/wallets', { name: 'Bob', publicKey: walletKey.publicJwk, pairingCode: relay.ctx.pairingCode })));
      expect(wallets.map((r) => r.status).filter((s) => s >= 500)).toEqual([]);
      const ids = new Set(await Promise.all(wallets.filter((r) => r.status === 201).map(async (r) => ((await r.json()) as { id: string }).id)));
      expect(ids.size).toBe(1); // registering the same wallet key again is answered with that wallet
    });

    describe('over MQTT', () => {
      let device: DeviceClient;
      beforeAll(async () => {
        device = await DeviceClient.connect({ url: relay.mqttUrl, signer: p.agent.signer, protocolVersion: 4 });
      });
      afterAll(async () => {
        await device?.close();
      });

      const intentBody = (extra: Record<string, unknown>) => ({ type: 'intent.create', requestId: newRequestId(), intent: { ...cart(p.merchant.record.id, 12_00, { channel: 'device-voice' }), ...extra } });
      const MQTT_CASES: { field: string; body: (bad: string) => Record<string, unknown> & { type: string; requestId: string } }[] = [
        { field: 'intent.lineItems.0.name', body: (bad) => intentBody({ lineItems: [{ name: bad, quantity: 1, unitMinor: 12_00 }] }) },
        { field: 'intent.description', body: (bad) => intentBody({ description: bad }) },
        { field: 'intent.taskId', body: (bad) => intentBody({ taskId: bad }) },
        { field: 'intent.evidence.transcript', body: (bad) => intentBody({ evidence: { transcript: bad } }) },
        { field: 'event.message', body: (bad) => ({ type: 'progress', requestId: newRequestId(), event: { taskId: 'tsk_1', stage: 'searching', message: bad } }) },
        { field: 'event.taskId', body: (bad) => ({ type: 'progress', requestId: newRequestId(), event: { taskId: bad, stage: 'searching' } }) },
        { field: 'intentId', body: (bad) => ({ type: 'intent.get', requestId: newRequestId(), intentId: bad }) },
        { field: 'merchantId', body: (bad) => ({ type: 'merchant.get', requestId: newRequestId(), merchantId: bad }) },
      ];
      const mqttTable = MQTT_CASES.flatMap((c) => HOSTILE.map(([what, bad]) => ({ ...c, what, bad })));
      it.each(mqttTable)('MQTT: $field with $what', async ({ field, body, bad }) => {
        const event = await device.request(body(bad));
        expect(event).toMatchObject({ type: 'error', error: { code: 'invalid_request', message: expect.stringContaining(field) } });
      });

      it('MQTT: a requestId with U+0000 is refused, not answered with internal_error', async () => {
        const requestId = `req-${NUL}-12345678`;
        const answer = device.nextEvent((e) => e.type === 'error');
        await device.publish(await device.sign({ type: 'progress', requestId, event: { taskId: 'tsk_1', stage: 'searching' } }));
        expect(await answer).toMatchObject({ type: 'error', error: { code: 'invalid_request', message: expect.stringContaining('requestId') } });
      });
    });
  });
}
