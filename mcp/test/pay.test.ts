import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { type AgentInvite, type Intent, RelayHttpClient } from '@agentpay/protocol';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitationCompleteNotificationSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFY_PATH } from '../../relay/src/demo/shop/checkout/scan-to-pay.ts';
import { answer, setMandate, until } from '../../relay/test/harness.ts';
import { type ShopWorld, startShopWorld } from '../../relay/test/shop-world.ts';
import { importAgentKey, readAgentFile } from '../src/agent-file.ts';
import { initAgent } from '../src/init.ts';

/**
 * An MCP agent pays the demo shop through `agentpay-mcp`, spawned as a client spawns it: over stdio,
 * and over Streamable HTTP (where the client also shows URL elicitations). The shop is charged, the
 * wallet shows the record under the agent's name, and no token is ever in what the agent reads.
 */
const BIN = resolve(import.meta.dirname, '../bin/agentpay-mcp.js');
const BUDGET = 100_00;

let world: ShopWorld;
let children: ChildProcess[] = [];

beforeAll(async () => {
  world = await startShopWorld(BUDGET);
}, 60_000);
afterAll(async () => {
  for (const child of children) child.kill();
  await world?.close();
});

/** A new agent enrolled with a wallet code (as `init` does), with a budget of its own at the shop. */
async function enrolledAgent(name: string) {
  const agentFile = join(mkdtempSync(join(tmpdir(), 'agentpay-mcp-pay-')), 'agent.json');
  const { code } = await world.wallet.client.post<AgentInvite>('/v1/wallet/agent-invites', {});
  const agent = await initAgent({ relayUrl: world.relay.httpUrl, code, name, agentFile });
  await setMandate(world.wallet, agent.agentId, { kind: 'quota', budget: { minor: BUDGET, currency: 'CNY' }, period: 'month', merchants: [world.shop.merchant.id] });
  return { agentFile, agent };
}

async function overStdio(agentFile: string): Promise<Client> {
  const client = new Client({ name: 'stdio-agent', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, '--agent-file', agentFile], stderr: 'pipe' }));
  return client;
}

/** Starts `agentpay-mcp --http --port 0` and connects a client that shows URL elicitations. */
async function overHttp(agentFile: string, elicited: Elicited[]): Promise<Client> {
  const child = spawn(process.execPath, [BIN, '--http', '--port', '0', '--agent-file', agentFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const url = await new Promise<string>((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`agentpay-mcp --http exited ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const found = /serves MCP over Streamable HTTP at (\S+)/.exec(line);
      if (found) ok(found[1]!);
    });
  });
  const client = new Client({ name: 'http-agent', version: '1.0.0' }, { capabilities: { elicitation: { url: {} } } });
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    if (request.params.mode === 'url') elicited.push({ id: request.params.elicitationId, url: request.params.url, completed: false });
    return { action: 'accept' };
  });
  client.setNotificationHandler(ElicitationCompleteNotificationSchema, async (notification) => {
    for (const e of elicited) if (e.id === notification.params.elicitationId) e.completed = true;
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** Every tool result is checked as it comes: no token secret the relay ever made, no card number, no token field. */
async function expectNoSecretIn(raw: string): Promise<void> {
  const tokens = await world.relay.ctx.db.query<{ id: string }>('SELECT id FROM tokens');
  for (const { id } of tokens) expect(raw).not.toContain(world.relay.ctx.vault.secretFor(id));
  expect(raw).not.toMatch(/"(secret|token|card)"\s*:/);
  expect(raw).not.toMatch(/\b999\d{13}\b/);
}

/** A URL the server asked the client to show, and whether the server said it is done with. */
interface Elicited { id: string; url: string; completed: boolean }

type Answer = { error: string | null; data: Record<string, any>; text: string; raw: string };
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Answer> {
  const result = await client.callTool({ name, arguments: args });
  const raw = JSON.stringify(result);
  await expectNoSecretIn(raw);
  return { error: result.isError ? String((result.content as { text: string }[])[0]?.text) : null, data: result.structuredContent as Record<string, any>, text: (result.content as { text: string }[])[0]?.text ?? '', raw };
}

const payFor = (order: { orderId: string; amount: { minor: number; currency: string }; lineItems: unknown[] }, key: string) => ({
  merchantId: world.shop.merchant.id, amount: order.amount, lineItems: order.lineItems, reason: `Tea for the office (${order.orderId})`,
  idempotencyKey: key, deliverTo: { url: new URL(NOTIFY_PATH, world.shop.url).href, reference: order.orderId },
});

describe.each(['stdio', 'http'] as const)('agentpay-mcp pays a merchant, over %s', (transport) => {
  let client: Client;
  let agentId: string;
  let agentFile: string;
  const elicited: Elicited[] = [];

  beforeAll(async () => {
    ({ agentFile, agent: { agentId } } = await enrolledAgent(`${transport} agent`));
    client = transport === 'stdio' ? await overStdio(agentFile) : await overHttp(agentFile, elicited);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
  });

  it('lists request_payment beside the read-only tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === 'request_payment')?.annotations?.readOnlyHint).toBe(false);
  });

  it('pays within the budget at once: the shop is charged and the wallet shows it bought by the agent', async () => {
    const order = await world.client.createOrder([{ productId: 'longjing', quantity: 1 }]);
    const paid = await call(client, 'request_payment', payFor(order, `${transport}-tea-${order.orderId}`));
    expect(paid.error).toBeNull();
    expect(paid.data).toMatchObject({ status: 'paid', amount: order.amount, merchantId: world.shop.merchant.id });
    expect(await world.client.order(order.orderId)).toMatchObject({ status: 'paid' });
    const { records } = await world.wallet.client.get<{ records: (Intent & { boughtBy: { name: string } })[] }>('/v1/wallet/records');
    expect(records.find((r) => r.id === paid.data.paymentId)).toMatchObject({ boughtBy: { name: `${transport} agent` }, description: `Tea for the office (${order.orderId})` });

    // The same idempotency key again: the same payment, not a second one.
    const again = await call(client, 'request_payment', payFor(order, `${transport}-tea-${order.orderId}`));
    expect(again.data).toMatchObject({ paymentId: paid.data.paymentId });
    expect(await world.relay.ctx.db.query('SELECT id FROM charges WHERE reference = $1', [order.orderId])).toHaveLength(1);

    // The tea came cold: the agent asks the user for a refund, and the wallet's record shows why.
    const refund = await call(client, 'request_refund', { paymentId: paid.data.paymentId, reason: 'The tea arrived stale' });
    expect(refund.data).toMatchObject({ asked: 'asked', refundableMinor: order.amount.minor });
    expect(await world.wallet.client.get(`/v1/wallet/records/${paid.data.paymentId}`)).toMatchObject({ refundAsked: { reason: 'The tea arrived stale' } });
  });

  it('holds a payment above the budget for the user; approved in the wallet, it is completed', async () => {
    const order = await world.client.createOrder([{ productId: 'teapot', quantity: 1 }]);
    const held = await call(client, 'request_payment', { ...payFor(order, `${transport}-pot-${order.orderId}`), waitSeconds: 0 });
    expect(held.data).toMatchObject({ status: 'pending_confirmation', waitsForUserUntil: expect.any(String) });
    expect(held.text).toMatch(/waiting for your user/);
    const waiting = call(client, 'get_payment', { paymentId: held.data.paymentId, waitSeconds: 30 });
    const intent = await world.wallet.client.get<Intent>(`/v1/intents/${held.data.paymentId}`);
    await answer(world.wallet, intent, 'approve');
    expect((await waiting).data).toMatchObject({ status: 'paid' });
    expect(await world.client.order(order.orderId)).toMatchObject({ status: 'paid' });
  });

  it('a payment the mandate declines is declined with its reasons, and nothing is charged', async () => {
    await world.wallet.client.patch(`/v1/wallet/actors/${agentId}`, { status: 'paused' });
    try {
      const order = await world.client.createOrder([{ productId: 'longjing', quantity: 1 }]);
      const declined = await call(client, 'request_payment', payFor(order, `${transport}-paused-${order.orderId}`));
      expect(declined.data).toMatchObject({ status: 'declined', reasons: [expect.stringMatching(/paused/)] });
      expect(await world.client.order(order.orderId)).toMatchObject({ status: 'unpaid' });
    } finally {
      await world.wallet.client.patch(`/v1/wallet/actors/${agentId}`, { status: 'active' });
    }
  });

  it('bad arguments are tool errors naming the field; a site the merchant never proved gets no payment', async () => {
    const order = await world.client.createOrder([{ productId: 'longjing', quantity: 1 }]);
    const negative = await call(client, 'request_payment', { ...payFor(order, `${transport}-bad-1`), amount: { minor: -1, currency: 'CNY' } });
    expect(negative.error).toMatch(/amount/);
    const lower = await call(client, 'request_payment', { ...payFor(order, `${transport}-bad-2`), amount: { minor: 35_00, currency: 'cny' } });
    expect(lower.error).toMatch(/currency/);
    const elsewhere = await call(client, 'request_payment', { ...payFor(order, `${transport}-bad-3`), deliverTo: { url: 'http://127.0.0.1:9/steal', reference: order.orderId } });
    expect(elsewhere.error).toMatch(/deliverTo\.url: http:\/\/127\.0\.0\.1:9 is not an origin Demo Tea Shop proved/);
    const unknown = await call(client, 'request_payment', { ...payFor(order, `${transport}-bad-4`), merchantId: 'mer_nobody' });
    expect(unknown.error).toMatch(/merchantId: no merchant mer_nobody/);
    expect(await world.client.order(order.orderId)).toMatchObject({ status: 'unpaid' });
  });

  it('buys prepaid credits at a vendor within the budget, once per key, and get_credits shows them', async () => {
    const args = { vendorId: world.shop.merchant.id, amount: { minor: 1_00, currency: 'CNY' }, idempotencyKey: `${transport}-credits-1` };
    const bought = await call(client, 'top_up_credits', args);
    expect(bought.error).toBeNull();
    expect(bought.data).toMatchObject({ topUp: { status: 'paid', automatic: false, amount: args.amount, agent: { id: agentId, name: `${transport} agent` } } });
    expect(bought.text).toMatch(/^Bought 1\.00 CNY of credits/);
    const again = await call(client, 'top_up_credits', args);
    expect(again.data.topUp.id).toBe(bought.data.topUp.id);
    // By the vendor's address, as an agent that has no credits there yet knows it: the merchant that proved that origin.
    const byUrl = await call(client, 'top_up_credits', { vendorUrl: `${world.shop.url}/v1/chat`, amount: args.amount, idempotencyKey: `${transport}-credits-url` });
    expect(byUrl.data).toMatchObject({ topUp: { status: 'paid', vendorId: world.shop.merchant.id } });
    expect((await call(client, 'top_up_credits', { vendorUrl: 'http://127.0.0.1:9', amount: args.amount, idempotencyKey: `${transport}-credits-nowhere` })).error).toMatch(/no vendor proved http:\/\/127\.0\.0\.1:9/);
    expect((await call(client, 'top_up_credits', { amount: args.amount, idempotencyKey: `${transport}-credits-none` })).error).toMatch(/vendorId or by vendorUrl/);
    const credits = await call(client, 'get_credits', {});
    expect(credits.data.credits).toEqual(expect.arrayContaining([expect.objectContaining({ vendor: { id: world.shop.merchant.id, name: 'Demo Tea Shop' } })]));
    expect(credits.text).toContain(`Demo Tea Shop (vendor ${world.shop.merchant.id}, account ${bought.data.topUp.accountId})`);
    expect((await call(client, 'top_up_credits', { ...args, vendorId: 'shop', idempotencyKey: `${transport}-credits-2` })).error).toMatch(/vendorId/);
    expect((await call(client, 'top_up_credits', { ...args, amount: { minor: 0, currency: 'CNY' }, idempotencyKey: `${transport}-credits-3` })).error).toMatch(/amount/);
  });

  it('pays an x402 resource within the budget, and refuses one dearer than the agent means to pay', async () => {
    const guide = `${world.shop.url}/api/tea-guide`;
    const paid = await call(client, 'pay_http_resource', { url: guide, maxAmount: { minor: 5_00, currency: 'CNY' }, reason: 'The brewing guide', idempotencyKey: `${transport}-guide-1` });
    expect(paid.error).toBeNull();
    expect(paid.data).toMatchObject({ status: 200, paid: { paymentId: expect.stringMatching(/^int_/), amount: { minor: 200, currency: 'CNY' } } });
    // Both requests went signed by the relay (Web Bot Auth), and the shop's check knew it.
    expect(JSON.parse(paid.data.body)).toMatchObject({ guide: { title: 'Brewing Longjing' }, reader: { signedAgent: new URL(world.relay.httpUrl).origin } });

    const dear = await call(client, 'pay_http_resource', { url: guide, maxAmount: { minor: 1_00, currency: 'CNY' }, reason: 'The brewing guide', idempotencyKey: `${transport}-guide-2` });
    expect(dear.error ?? dear.text).toMatch(/more than the 1\.00 CNY/);
  });

  it('an x402 payment above the budget waits for the user; asked again with the same key once approved, it is paid once', async () => {
    const order = await world.client.createOrder([{ productId: 'teapot', quantity: 1 }]);
    const receipt = `${world.shop.url}/api/orders/${order.orderId}/receipt`;
    const args = { url: receipt, maxAmount: { minor: 200_00, currency: 'CNY' }, reason: 'Teapot receipt', idempotencyKey: `${transport}-receipt-${order.orderId}`, waitSeconds: 0 };
    const waiting = await call(client, 'pay_http_resource', args);
    expect(waiting.error).toBeNull();
    expect(waiting.data).toMatchObject({ status: 'waiting_for_user', payment: { status: 'pending_confirmation' } });
    const intent = await world.wallet.client.get<Intent>(`/v1/intents/${waiting.data.payment.paymentId}`);
    await answer(world.wallet, intent, 'approve');
    const paid = await call(client, 'pay_http_resource', args);
    expect(paid.data).toMatchObject({ status: 200, paid: { paymentId: waiting.data.payment.paymentId } });
    expect(await world.client.order(order.orderId)).toMatchObject({ status: 'paid' });
    expect(await world.relay.ctx.db.query('SELECT id FROM intents WHERE description = $1 AND actor_id = $2', ['Teapot receipt', agentId])).toHaveLength(1);
  });

  it('the same idempotencyKey for another order is refused, not reported as that order paid', async () => {
    const first = await world.client.createOrder([{ productId: 'longjing', quantity: 1 }]);
    const second = await world.client.createOrder([{ productId: 'longjing', quantity: 1 }]);
    const key = `${transport}-reuse-${first.orderId}`;
    expect((await call(client, 'request_payment', payFor(first, key))).data).toMatchObject({ status: 'paid' });
    const reused = await call(client, 'request_payment', { ...payFor(second, key), reason: payFor(first, key).reason });
    expect(reused.error).toMatch(/^idempotencyKey: it was used for the payment delivered to .* for ord_/);
    expect(await world.client.order(second.orderId)).toMatchObject({ status: 'unpaid' });
  });

  if (transport === 'stdio') {
    it('a payment approved after the client restarted its server is still handed to the merchant', async () => {
      const order = await world.client.createOrder([{ productId: 'teapot', quantity: 1 }]);
      const held = await call(client, 'request_payment', { ...payFor(order, `stdio-restart-${order.orderId}`), waitSeconds: 0 });
      expect(held.data).toMatchObject({ status: 'pending_confirmation' });
      await client.close();
      await answer(world.wallet, await world.wallet.client.get<Intent>(`/v1/intents/${held.data.paymentId}`), 'approve');
      client = await overStdio(agentFile);
      expect((await call(client, 'get_payment', { paymentId: held.data.paymentId })).data).toMatchObject({ status: 'paid' });
      expect(await world.client.order(order.orderId)).toMatchObject({ status: 'paid' });
    });
  }

  if (transport === 'http') {
    it('shows a client that supports URL elicitation where to answer, and completes it once answered', async () => {
      const order = await world.client.createOrder([{ productId: 'puerh', quantity: 1 }]);
      const asking = call(client, 'request_payment', { ...payFor(order, `http-puerh-${order.orderId}`), waitSeconds: 30 });
      const signed = new RelayHttpClient(world.relay.httpUrl, { id: agentId, privateKey: await importAgentKey(await readAgentFile(agentFile)) });
      let heldId: string | undefined;
      await until(async () => {
        const { records } = await signed.get<{ records: { id: string; status: string; amount: { minor: number } }[] }>('/v1/agents/me/purchases');
        heldId = records.find((p) => p.status === 'pending_confirmation' && p.amount.minor === order.amount.minor)?.id;
        return heldId !== undefined && elicited.some((e) => e.url.endsWith(`/approvals/${heldId}`));
      });
      const shown = elicited.find((e) => e.url.endsWith(`/approvals/${heldId}`))!;
      const page = await (await fetch(shown.url)).text();
      expect(page).toMatch(/128\.00 CNY to Demo Tea Shop/);
      expect(page).toMatch(/Waiting for you/);
      const held = await world.wallet.client.get<Intent>(`/v1/intents/${heldId}`);
      await answer(world.wallet, held, 'approve');
      expect((await asking).data).toMatchObject({ status: 'paid' });
      await until(() => shown.completed);
    });
  }
});
