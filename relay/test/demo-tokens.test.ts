import type { TopUp } from '@agentpay/protocol';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens, generate } from '../src/demo/model-api/generate.ts';
import { agentpayFetch } from '@agentpay/x402';
import { PAY_PER_REQUEST_MAXIMUM, PAY_PER_REQUEST_PATH, payPerRequest } from '../src/demo/model-api/pay-per-request.ts';
import { type DemoModelApi, startDemoModelApi } from '../src/demo/model-api/start.ts';
import { runTokenDemo } from '../src/demo/tokens.ts';
import { checkLedger } from '../src/ledger/check.ts';
import type { Relay } from '../src/relay.ts';
import { setMandate, setUpParties, startTestRelay } from './harness.ts';

describe('the demo model: generation and token counts', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['four', 1],
    ['fives', 2],
  ])('%j is %i tokens', (text, tokens) => expect(countTokens(text)).toBe(tokens));

  it('never replies beyond max_tokens, and the same prompt costs the same', () => {
    const messages = [{ role: 'user' as const, content: 'How long should green tea steep?' }];
    const reply = generate(messages, 12);
    expect(reply.completionTokens).toBeLessThanOrEqual(12);
    expect(generate(messages, 12)).toEqual(reply);
  });
});

/**
 * `npm run demo:tokens` against what `npm start` serves: the relay, and the demo model vendor
 * billing its chat API through Token Pay (credits) and one route through x402 `upto`.
 */
describe('npm run demo:tokens', () => {
  let relay: Relay;
  let models: DemoModelApi;
  let dataDir: string;

  beforeAll(async () => {
    relay = await startTestRelay('pglite');
    dataDir = mkdtempSync(join(tmpdir(), 'agentpay-demo-tokens-'));
    models = await startDemoModelApi({ relayUrl: relay.httpUrl, port: 0, dataDir, payPerRequest: payPerRequest(relay.httpUrl) });
  }, 60_000);
  afterAll(async () => {
    await models?.close();
    await relay?.close();
  });

  it('tops up within the mandate, meters fifty requests, tops up automatically once, pays one request with upto, and states the usage', async () => {
    const lines: string[] = [];
    const result = await runTokenDemo({ relayUrl: relay.httpUrl, modelUrl: models.url, dataDir, pairingCode: relay.ctx.pairingCode, log: (line) => lines.push(line) });

    expect(result.topUps.map((t) => [t.automatic, t.status, t.agent.name])).toEqual([[true, 'paid', 'Demo coding agent'], [false, 'paid', 'Demo coding agent']]);
    const requests = result.statement.lines.reduce((sum, line) => sum + line.requests, 0);
    expect(requests).toBe(50);
    expect(result.statement.lines.map((l) => l.model).sort()).toEqual(['leaf-large', 'leaf-mini']);
    const spent = result.statement.lines.reduce((sum, line) => sum + line.amount.minor, 0);
    expect(result.credits.balance.minor).toBe(10_00 + 10_00 - spent);

    // The upto call: paid what it used, far less than the maximum its 402 named, and charged once.
    expect(result.payPerRequest.status).toBe(200);
    expect(result.payPerRequest.charged!.minor).toBeGreaterThan(0);
    expect(result.payPerRequest.charged!.minor).toBeLessThan(PAY_PER_REQUEST_MAXIMUM.minor);
    const charges = await relay.ctx.db.query<{ amount_minor: number }>(
      `SELECT c.amount_minor FROM charges c LEFT JOIN credit_purchases p ON p.charge_id = c.id WHERE c.wallet_id = $1 AND p.charge_id IS NULL`, [result.walletId],
    );
    expect(charges.map((c) => Number(c.amount_minor))).toEqual([result.payPerRequest.charged!.minor]);
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
    expect(lines.join('\n')).toMatch(/automatic top-up tup_\w+: paid 10\.00 CNY, bought by Demo coding agent/);
  }, 120_000);

  it('answers an unknown key 401, a bad body 400 naming the field, and spent credits 402', async () => {
    const post = (body: unknown, key = 'cra_nobody') => fetch(new URL('/v1/chat/completions', models.url), {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const ok = { model: 'leaf-mini', messages: [{ role: 'user', content: 'hi' }] };
    expect((await post(ok)).status).toBe(401);
    expect((await fetch(new URL('/v1/chat/completions', models.url), { method: 'POST', body: '{}' })).status).toBe(401);
    // A wallet with one fen of credits: not enough for any request's most expensive outcome.
    const { wallet, agent } = await setUpParties(relay);
    await setMandate(wallet, agent.record.id, { kind: 'quota', budget: { minor: 10_00, currency: 'CNY' }, period: 'month', merchants: [models.vendor.id] });
    const { accountId, status } = await agent.client.post<TopUp>('/v1/agents/me/top-ups', { vendorId: models.vendor.id, amount: { minor: 1, currency: 'CNY' } });
    expect(status).toBe('paid');
    const badModel = await post({ ...ok, model: 'gpt-9' }, accountId);
    expect(badModel.status).toBe(400);
    expect(((await badModel.json()) as { error: { message: string } }).error.message).toMatch(/^model: /);
    expect((await post({ ...ok, stream: true }, accountId)).status).toBe(400);
    // OpenAI's newer shapes (developer messages, text parts, max_completion_tokens) are served: this one costs the one fen.
    const modern = await post({ model: 'leaf-mini', messages: [{ role: 'developer', content: [{ type: 'text', text: 'Be brief.' }] }], max_completion_tokens: 1 }, accountId);
    expect(modern.status).toBe(200);
    expect(await modern.json()).toMatchObject({ object: 'chat.completion', billing: { cost: { minor: 1 }, balance: { minor: 0 } } });
    const broke = await post(ok, accountId);
    expect(broke.status).toBe(402);
    expect(await broke.json()).toMatchObject({ error: { code: 'insufficient_credits', type: 'insufficient_quota', message: expect.stringMatching(/max_tokens 256.*top_up_credits/) } });
    const huge = await fetch(new URL('/v1/chat/completions', models.url), {
      method: 'POST', headers: { authorization: `Bearer ${accountId}`, 'content-type': 'application/json' }, body: 'x'.repeat(5 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);

    // Paid per request, whatever the body holds: a paid request is served, never a 502 after the token was taken.
    const paid = await agentpayFetch(agent.client)(new URL(PAY_PER_REQUEST_PATH, models.url), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [null] }),
    });
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ object: 'chat.completion', billing: { charged: { minor: expect.any(Number) } } });
  }, 60_000);
});
