import {
  ApprovalClaims, DeviceRequest, type Intent, MandateDocument, type PublicJwk, generateSigningKey, newId, signCanonical, signHttpRequest,
  SIGNATURE_HEADER, IDEMPOTENCY_HEADER, randomString,
  MAX_PAYLOAD_DEPTH, nestingDepth,
} from '@agentpay/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Route } from '../src/http/route.ts';
import { allRoutes } from '../src/http/routes/index.ts';
import type { Relay } from '../src/relay.ts';
import { DeviceClient } from './device-client.ts';
import { arbitraryOf, bodiesOf, hostileString, hostileValue, mutated, RawBody, rawBodies } from './fuzz/arbitraries.ts';
import { STORES, addActor, cart, dropSchema, setMandate, setUpParties, startTestRelay } from './harness.ts';

/**
 * Every HTTP route and every MQTT request type, with bodies generated from their zod schemas and
 * hostile values planted in them, signed properly so that they reach the handlers: the relay
 * answers each with a 2xx or a 4xx, never a 5xx, logs no failure, and is still up afterwards.
 *
 * Bounded: RUNS bodies per route and per MQTT request type. A failure prints fast-check's seed and
 * path; replay it with FUZZ_SEED=<seed> (and FUZZ_PATH=<path>), or run longer with FUZZ_RUNS.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const PATH = process.env.FUZZ_PATH;
const params = { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), ...(PATH ? { path: PATH } : {}), endOnFailure: true };

type Parties = Awaited<ReturnType<typeof setUpParties>>;
type Signed = { id: string; privateKey: CryptoKey };

interface World {
  relay: Relay;
  parties: Parties;
  device: Awaited<ReturnType<typeof addActor>>;
  /** Real ids, so that generated requests also name things that exist. */
  ids: { intent: string[]; actor: string[]; charge: string[]; merchant: string[]; task: string[]; token: string[] };
}

/** A path parameter: a real id of the right kind, another kind's, or a hostile string, percent-encoded. */
function pathParam(world: World, route: Route): fc.Arbitrary<string> {
  const real = route.path.startsWith('/v1/merchant/charges') ? world.ids.charge
    : route.path.startsWith('/v1/wallet/actors') ? world.ids.actor
      : route.path.startsWith('/v1/wallet/tasks') ? world.ids.task
        : route.path.startsWith('/v1/merchants') ? world.ids.merchant
          : world.ids.intent;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...real) },
    fc.constantFrom(...world.ids.intent, ...world.ids.actor, newId('intent'), newId('charge')),
    hostileString.map(encodePathSegment),
    fc.constantFrom('%00', '%ED%A0%80', '%FF', '%', '%zz', '..', '%2F', 'a%2Fb'),
  );
}

function encodePathSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value.replace(/[\uD800-\uDFFF]/g, '%ED%A0%80').split('%ED%A0%80').map((s) => encodeURIComponent(s)).join('%ED%A0%80');
  }
}

/** Plants real ids where a body names a merchant, intent, actor or token, half of the time each. */
function withRealIds(world: World, body: unknown, coin: number): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const pick = (list: string[]) => list[coin % list.length]!;
  if (coin % 2 === 0) {
    if ('merchantId' in out) out.merchantId = pick(world.ids.merchant);
    if ('intentId' in out) out.intentId = pick(world.ids.intent);
    if ('actorId' in out) out.actorId = pick(world.ids.actor);
    if ('token' in out) out.token = pick(world.ids.token);
    if ('lineItems' in out) out.lineItems = [];
  }
  for (const nested of ['intent', 'event']) if (nested in out) out[nested] = withRealIds(world, out[nested], coin >> 1);
  return out;
}

/** Who signs: one of the kinds the route is for (or sometimes the wrong kind), or the key a registration registers. */
function signerFor(world: World, route: Route): fc.Arbitrary<Signed | 'self' | null> {
  if (route.auth === 'none') return fc.constant(null);
  if (route.auth === 'self') return fc.constant('self' as const);
  const { wallet, agent, merchant } = world.parties;
  const byKind: Record<string, Signed> = { wallet: wallet.signer, agent: agent.signer, device: world.device.signer, merchant: merchant.signer };
  const allowed = route.auth.map((k) => byKind[k]).filter((s): s is Signed => s !== undefined);
  return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...allowed) }, fc.constantFrom(...Object.values(byKind)));
}

/** Bodies for a route; mandates and approvals are wallet-signed documents generated from their own schemas. */
function bodyFor(world: World, route: Route): fc.Arbitrary<unknown> {
  const { wallet } = world.parties;
  if (route.path.endsWith('/mandate')) {
    return fc.tuple(arbitraryOf(MandateDocument), fc.nat(), fc.boolean()).chain(([document, coin, fill]) => {
      const filled = fill ? { ...(document as object), v: 1, walletId: wallet.record.id, actorId: world.ids.actor[coin % world.ids.actor.length], issuedAt: new Date(Date.now() + coin).toISOString() } : document;
      return fc.oneof({ weight: 3, arbitrary: fc.constant(filled) }, mutated(fc.constant(filled)))
        .map((doc) => ({ sign: doc }));
    });
  }
  if (route.path.endsWith('/confirmation')) {
    return fc.tuple(arbitraryOf(ApprovalClaims), fc.nat()).chain(([claims, coin]) =>
      fc.oneof({ weight: 3, arbitrary: fc.constant(withRealIds(world, claims, coin)) }, mutated(fc.constant(claims))).map((doc) => ({ sign: doc })));
  }
  if (!route.body) return fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, hostileValue, rawBodies);
  return fc.oneof({ weight: 8, arbitrary: fc.tuple(bodiesOf(route.body), fc.nat()).map(([body, coin]) => withRealIds(world, body, coin)) }, rawBodies);
}

function queryFor(route: Route): fc.Arbitrary<Record<string, unknown> | undefined> {
  if (!route.query) return fc.option(fc.dictionary(hostileString, hostileString, { maxKeys: 2 }), { nil: undefined });
  return bodiesOf(route.query).map((q) => {
    if (!q || typeof q !== 'object' || Array.isArray(q)) return { q: String(q) };
    // A long poll would hold the run for up to a minute: keep generated waits at zero.
    const out = { ...(q as Record<string, unknown>) };
    if (typeof out.waitSeconds === 'number') out.waitSeconds = 0;
    return out;
  });
}

/** Sends one request exactly as a client would, signing the very bytes it sends; resolves to the status. */
async function send(world: World, route: Route, signer: Signed | 'self' | null, param: string, query: Record<string, unknown> | undefined, rawBody: unknown): Promise<{ status: number; text: string }> {
  let body = rawBody;
  let signing: Signed | null = signer === 'self' ? null : signer;
  if (signer === 'self') {
    const key = await generateSigningKey();
    signing = { id: 'self', privateKey: key.privateKey };
    if (body && typeof body === 'object' && !Array.isArray(body) && !(body instanceof RawBody) && (param.length % 4 !== 0)) {
      body = { ...(body as object), publicKey: key.publicJwk satisfies PublicJwk };
      if (route.path === '/v1/wallets' && param.length % 2 === 1) body = { ...(body as object), pairingCode: world.relay.ctx.pairingCode };
    }
  }
  if (body && typeof body === 'object' && !(body instanceof RawBody) && 'sign' in body) {
    body = { jws: await signCanonical((body as { sign: unknown }).sign, world.parties.wallet.signer.privateKey, world.parties.wallet.record.id) };
  }
  const path = route.path.replace(/\{\w+\}/g, param);
  const search = query ? new URLSearchParams(Object.entries(query).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? ''])).toString() : '';
  const pathWithQuery = search ? `${path}?${search}` : path;
  const text = route.method === 'GET' || body === undefined ? '' : body instanceof RawBody ? body.text : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', [IDEMPOTENCY_HEADER]: `idem_${randomString(16)}` };
  if (signing) {
    headers[SIGNATURE_HEADER] = await signHttpRequest({ method: route.method, path: pathWithQuery, body: text, privateKey: signing.privateKey, kid: signing.id });
  }
  const response = await fetch(new URL(pathWithQuery, world.relay.httpUrl), { method: route.method, headers, body: route.method === 'GET' ? undefined : text });
  if (response.headers.get('content-type')?.includes('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, text: '' };
  }
  return { status: response.status, text: await response.text() };
}

/** Routes after which the calling wallet can sign nothing more: fuzzed apart, with wallets of their own. */
const ENDS_THE_CALLER = new Set(['POST /v1/wallet/unpair']);

for (const store of STORES) {
  describe(`fuzzing every route and device request (${store})`, () => {
    const world = {} as World;
    let errors: ReturnType<typeof vi.spyOn>;
    beforeAll(async () => {
      world.relay = await startTestRelay(store);
      world.parties = await setUpParties(world.relay);
      const { wallet, agent, merchant } = world.parties;
      world.device = await addActor(world.relay, wallet.client, 'device', 'cockpit');
      for (const actor of [agent, world.device]) {
        await setMandate(wallet, actor.record.id, { kind: 'quota', budget: { minor: 1_000_00, currency: 'CNY' }, period: 'month', merchants: [merchant.record.id] });
      }
      const paid = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 10_00, { taskId: 'tsk_fuzz' }));
      const charge = await merchant.client.post<{ id: string }>('/v1/merchant/charges', { token: paid.token!.secret, amount: { minor: 10_00, currency: 'CNY' } });
      const open = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 5_00));
      const held = await agent.client.post<Intent>('/v1/intents', cart(merchant.record.id, 5_000_00));
      world.ids = {
        intent: [paid.id, open.id, held.id],
        actor: [agent.record.id, world.device.record.id],
        charge: [charge.id],
        merchant: [merchant.record.id],
        task: ['tsk_fuzz'],
        token: [open.token!.secret, paid.token!.secret],
      };
      errors = vi.spyOn(world.relay.ctx.log, 'error');
    });
    afterAll(async () => {
      errors?.mockRestore();
      if (world.relay) await dropSchema(world.relay);
    });

    it('HTTP: a route that ends the wallet calling it (unpair) answers 2xx or 4xx, fuzzed by a wallet of its own', async () => {
      for (const route of allRoutes.filter((r) => ENDS_THE_CALLER.has(`${r.method} ${r.path}`))) {
        // Fresh parties per route, so the wallet the other tests sign with stays paired whatever the order.
        const own = { ...world, parties: await setUpParties(world.relay) } as World;
        errors.mockClear();
        await fc.assert(
          fc.asyncProperty(signerFor(own, route), pathParam(own, route), queryFor(route), bodyFor(own, route), async (signer, param, query, body) => {
            const { status, text } = await send(own, route, signer, param, query, body);
            expect(status, `${route.method} ${route.path}: ${text}`).toBeLessThan(500);
            expect(status).toBeGreaterThanOrEqual(200);
          }),
          params,
        );
        expect(errors.mock.calls).toEqual([]);
      }
    });

    it('HTTP: every route answers 2xx or 4xx, and the generated requests reach the handlers', async () => {
      const statuses = new Map<string, number[]>();
      for (const route of allRoutes.filter((r) => !ENDS_THE_CALLER.has(`${r.method} ${r.path}`))) {
        errors.mockClear();
        const name = `${route.method} ${route.path}`;
        await fc.assert(
          fc.asyncProperty(signerFor(world, route), pathParam(world, route), queryFor(route), bodyFor(world, route), async (signer, param, query, body) => {
            const { status, text } = await send(world, route, signer, param, query, body);
            (statuses.get(name) ?? statuses.set(name, []).get(name)!).push(status);
            expect(status, `${name}: ${text}`).toBeLessThan(500);
            expect(status, name).toBeGreaterThanOrEqual(200);
          }),
          params,
        );
        expect(errors.mock.calls.map((call: unknown[]) => `${name}: ${JSON.stringify(call).slice(0, 500)}`)).toEqual([]);
      }
      // Not every request bounced off validation: some were served, across many routes.
      const served = [...statuses].filter(([, list]) => list.some((s) => s < 300)).map(([name]) => name);
      expect(served.length, JSON.stringify(Object.fromEntries(statuses))).toBeGreaterThan(allRoutes.length / 2);
      expect((await fetch(new URL('/v1/health', world.relay.httpUrl))).status).toBe(200);
    });

    it('MQTT: every device request type', async () => {
      errors.mockClear();
      // A device of its own: the HTTP fuzz may have paused or revoked the others.
      const own = await addActor(world.relay, world.parties.wallet.client, 'device', 'cockpit');
      const device = await DeviceClient.connect({ url: world.relay.mqttUrl, signer: own.signer, protocolVersion: 4 });
      try {
        const types = ['intent.create', 'progress', 'intent.get', 'merchant.get'];
        const requests = fc.tuple(bodiesOf(DeviceRequest), fc.nat(), fc.constantFrom(...types)).map(([body, coin, type]) => {
          // Bodies the generator made for one type, relabelled now and then: a valid shape under the wrong type.
          const relabelled = coin % 5 === 0 && body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as object), type } : body;
          return withRealIds(world, relabelled, coin);
        });
        await fc.assert(
          fc.asyncProperty(requests, async (body) => {
            // A payload nesting deeper than the protocol allows is refused before it is parsed: its requestId is never read.
            const tooDeep = nestingDepth(JSON.stringify(body) ?? '') > MAX_PAYLOAD_DEPTH - 1;
            const requestId = !tooDeep && body && typeof body === 'object' && !Array.isArray(body) && typeof (body as { requestId?: unknown }).requestId === 'string'
              ? (body as { requestId: string }).requestId : null;
            const answer = device.nextEvent((e) => e.requestId === requestId && (requestId !== null || e.type === 'error'));
            await device.publish(await device.sign(body));
            const event = await answer;
            expect(event.type === 'error' ? event.error.code : event.type, JSON.stringify(event)).not.toBe('internal_error');
          }),
          { ...params, numRuns: RUNS * 4 },
        );
      } finally {
        await device.close();
      }
      expect((await fetch(new URL('/v1/health', world.relay.httpUrl))).status).toBe(200);
      expect(errors.mock.calls.map((call: unknown[]) => JSON.stringify(call).slice(0, 500))).toEqual([]);
    });
  });
}
