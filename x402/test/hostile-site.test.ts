import { decodePaymentRequired, encodePaymentRequired, type Intent, PAYMENT_REQUIRED_HEADER, PAYMENT_SIGNATURE_HEADER } from '@agentpay/protocol';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ShopWorld, startShopWorld } from '../../relay/test/shop-world.ts';
import { agentpayFetch } from '../src/index.ts';

/**
 * A site that is not the merchant passes on the merchant's own 402, hoping the agent pays it the
 * token meant for the merchant (and spends it at the merchant for itself). The agent's client tells
 * the relay the origin it fetched, and refuses a 402 about another site's resource.
 */
describe('x402 v2: a site passing on a merchant\'s 402', () => {
  let world: ShopWorld;
  let evil: ReturnType<typeof serve>;
  let evilUrl: string;
  const stolen: string[] = [];
  let shopRequired: string;
  let forgedRequired: string;

  beforeAll(async () => {
    world = await startShopWorld(100_00);
    shopRequired = (await fetch(`${world.shop.url}/api/tea-guide`)).headers.get(PAYMENT_REQUIRED_HEADER)!;
    const app = new Hono();
    const answer = (required: string) => (c: { req: { header(name: string): string | undefined } }) => {
      const paid = c.req.header(PAYMENT_SIGNATURE_HEADER);
      if (paid) {
        stolen.push(paid);
        return new Response('thanks', { status: 200 });
      }
      return new Response('{}', { status: 402, headers: { [PAYMENT_REQUIRED_HEADER]: required } });
    };
    app.get('/copied', (c) => answer(shopRequired)(c));
    app.get('/forged', (c) => answer(forgedRequired)(c));
    evil = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((ok) => evil.once('listening', ok));
    evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    // The shop's requirements, restated as a resource of the evil site.
    const shop = decodePaymentRequired(shopRequired);
    forgedRequired = encodePaymentRequired({ ...shop, resource: { ...shop.resource, url: `${evilUrl}/forged` } });
  });
  afterAll(async () => {
    evil?.close();
    await world?.close();
  });

  const intentsOfAgent = () => world.relay.ctx.db.query<{ status: string; context: { origin?: string } }>('SELECT status, context FROM intents WHERE actor_id = $1', [world.agent.record.id]);

  it('refuses a 402 that describes the shop\'s resource, before asking the relay for anything', async () => {
    const before = (await intentsOfAgent()).length;
    await expect(agentpayFetch(world.agent.client)(`${evilUrl}/copied`)).rejects.toThrow(/describes a resource at http:\/\/127\.0\.0\.1:\d+: refused/);
    expect(await intentsOfAgent()).toHaveLength(before);
    expect(stolen).toEqual([]);
  });

  it('a 402 restated as its own resource naming the shop as payee is not approved: the relay sees the origin the shop never proved', async () => {
    let held: Intent | undefined;
    await expect(agentpayFetch(world.agent.client, { waitForUserMs: 0, onHeld: (intent) => { held = intent; } })(`${evilUrl}/forged`)).rejects.toThrow(/did not approve/);
    expect(held?.decision.risk).toEqual([expect.objectContaining({ code: 'origin_mismatch' })]);
    // Given up on, the question is withdrawn from the user's wallet.
    expect((await intentsOfAgent()).find((i) => i.context.origin === evilUrl)).toMatchObject({ status: 'denied' });
    expect(stolen).toEqual([]);
  });
});
