import { type Intent, SIGNATURE_HEADER, signHttpRequest } from '@agentpay/protocol';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { STORES, cart, dropSchema, setMandate, setUpParties, startTestRelay } from './harness.ts';

const LIMIT = 16 * 1024;
/** What an attacker is ready to stream; the relay must answer long before. */
const FLOOD = 64 * 1024 * 1024;

interface Streamed {
  status: number | undefined;
  body: string;
  /** Bytes of body the client got out before the relay closed the connection (or FLOOD, if it never did). */
  sent: number;
}

/**
 * Streams a chunked body of up to FLOOD bytes (or announces it with content-length), honouring
 * backpressure, and keeps sending after the answer, as an attacker would, until the relay closes
 * the connection: a relay that read (or silently drained) the rest would take it all.
 */
function stream(relay: Relay, path: string, headers: Record<string, string>, opts: { contentLength?: boolean } = {}): Promise<Streamed> {
  const url = new URL(path, relay.httpUrl);
  return new Promise((resolve) => {
    let sent = 0;
    let status: number | undefined;
    let body = '';
    let gone = false;
    const req = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers, ...(opts.contentLength ? { 'content-length': String(FLOOD) } : {}) },
    });
    req.on('response', (res) => {
      status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
    });
    const finish = () => {
      if (gone) return;
      gone = true;
      req.destroy();
      resolve({ status, body, sent });
    };
    req.on('error', finish);
    req.on('close', finish);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!gone && sent < FLOOD) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!gone) finish(); // everything went out: the relay swallowed the whole flood
    };
    req.write('{"x":"');
    pump();
  });
}

for (const store of STORES) {
  describe(`HTTP body limit and auth before the body (${store})`, () => {
    let relay: Relay;
    let parties: Awaited<ReturnType<typeof setUpParties>>;

    beforeAll(async () => {
      relay = await startTestRelay(store, { maxBodyBytes: LIMIT });
      parties = await setUpParties(relay);
      await setMandate(parties.wallet, parties.agent.record.id, {
        kind: 'quota', budget: { minor: 1000_00, currency: 'CNY' }, period: 'month', merchants: [parties.merchant.record.id],
      });
    });
    afterAll(async () => {
      await dropSchema(relay);
    });

    it('refuses an oversized streamed registration with 413 naming the limit, without reading it all', async () => {
      // A well-formed but meaningless signature header: registration keys are in the body, so the body is read, up to the limit.
      const result = await stream(relay, '/v1/wallets', { [SIGNATURE_HEADER]: 'eyJhbGciOiJFUzI1NiJ9.e30.AAAA' });
      expect(result.status).toBe(413);
      expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'body_too_large' } });
      expect(JSON.parse(result.body).error.message).toContain(String(LIMIT));
      expect(result.sent).toBeLessThan(FLOOD / 4);
    });

    it('refuses an announced oversized body from a known signer with 413 before reading it', async () => {
      const jws = await signHttpRequest({ method: 'POST', path: '/v1/intents', body: 'x', privateKey: parties.agent.signer.privateKey, kid: parties.agent.signer.id });
      const result = await stream(relay, '/v1/intents', { [SIGNATURE_HEADER]: jws, 'idempotency-key': 'idem_big_body_1' }, { contentLength: true });
      expect(result.status).toBe(413);
      expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'body_too_large' } });
      expect(result.sent).toBeLessThan(FLOOD / 4);
    });

    it('refuses a signed route without a signature header with 401 before reading the body', async () => {
      const result = await stream(relay, '/v1/intents', {});
      expect(result.status).toBe(401);
      expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'unauthenticated' } });
      expect(result.sent).toBeLessThan(FLOOD / 4);
    });

    it('refuses a malformed signature header or an unknown signer with 401 before reading the body', async () => {
      const malformed = await stream(relay, '/v1/intents', { [SIGNATURE_HEADER]: 'not-a-jws' });
      expect(malformed.status).toBe(401);
      expect(JSON.parse(malformed.body)).toMatchObject({ error: { code: 'bad_signature' } });
      expect(malformed.sent).toBeLessThan(FLOOD / 4);

      const stranger = await signHttpRequest({ method: 'POST', path: '/v1/intents', body: 'x', privateKey: parties.agent.signer.privateKey, kid: 'agt_nobody' });
      const unknown = await stream(relay, '/v1/intents', { [SIGNATURE_HEADER]: stranger });
      expect(unknown.status).toBe(401);
      expect(JSON.parse(unknown.body)).toMatchObject({ error: { code: 'unauthenticated', message: expect.stringContaining('agt_nobody') } });
      expect(unknown.sent).toBeLessThan(FLOOD / 4);
    });

    it('still takes signed payments, with bodies under the limit', async () => {
      const intent = await parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 1200, {
        lineItems: [{ name: 'x'.repeat(150), quantity: 1, unitMinor: 1200 }],
      }));
      expect(intent.status).toBe('approved');
      const charge = await parties.merchant.client.post<{ status: string }>('/v1/merchant/charges', {
        token: intent.token!.secret, amount: { minor: 1200, currency: 'CNY' },
      });
      expect(charge.status).toBe('succeeded');
    });
  });
}
