import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_NAME, type DemoAgentResult, DemoNotRunning, runDemoAgent } from '../src/demo/agent.ts';
import { type DemoShop, startDemoShop } from '../src/demo/shop.ts';
import { ShopClient } from '../src/demo/shop/client.ts';
import { checkLedger } from '../src/ledger/check.ts';
import type { Relay } from '../src/relay.ts';
import { startTestRelay } from './harness.ts';

describe('npm start + npm run demo:agent', () => {
  let relay: Relay;
  let shop: DemoShop;
  let dataDir: string;
  let result: DemoAgentResult;
  const lines: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'demo-shop-'));
    relay = await startTestRelay('pglite');
    shop = await startDemoShop({ relayUrl: relay.httpUrl, port: 0, dataDir });
    result = await runDemoAgent({ relayUrl: relay.httpUrl, shopUrl: shop.url, pairingCode: relay.ctx.pairingCode, log: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await shop?.close();
    await relay?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pays both orders: one within the budget at once, one after the user confirmed', () => {
    expect(result.payments.map((p) => p.approval)).toEqual(['automatic', 'confirmed']);
    expect(result.payments.map((p) => p.order.amount)).toEqual([{ minor: 70_00, currency: 'CNY' }, { minor: 567_00, currency: 'CNY' }]);
    for (const { order } of result.payments) expect(order).toMatchObject({ status: 'paid', chargeId: expect.stringMatching(/^chg_/) });
    expect(result.payments[1]!.intent.decision.reasons[0]!.code).toBe('quota_exhausted');
  });

  it("marks the shop's orders paid with the relay's charge ids", () => {
    const paid = shop.orders.list().filter((o) => o.status === 'paid');
    expect(paid.map((o) => o.chargeId).sort()).toEqual(result.records.map((r) => r.charge!.id).sort());
  });

  it('shows the wallet two payments bought by the demo agent', () => {
    expect(result.records).toHaveLength(2);
    for (const record of result.records) {
      expect(record.boughtBy).toMatchObject({ id: result.agentId, name: AGENT_NAME });
      expect(record.merchantName).toBe('Demo Tea Shop');
      expect(record.charge!.amount).toEqual(record.amount);
    }
  });

  it('prints each step readably', () => {
    const text = lines.join('\n');
    for (const expected of ['pairs a wallet', 'quota mandate: 500.00 CNY per month', 'progress  searching', 'approved', 'pending_confirmation', 'waitSeconds=10', 'bought by Demo shopping agent']) {
      expect(text).toContain(expected);
    }
  });

  it('never charges twice when a paid order is paid again', async () => {
    const client = new ShopClient(shop.url);
    const { order, intent } = result.payments[0]!;
    const again = await client.pay(order.orderId, intent.token!.secret);
    expect(again).toMatchObject({ status: 'paid', chargeId: order.chargeId });
    const charges = await relay.ctx.db.query('SELECT id FROM charges WHERE intent_id = $1', [intent.id]);
    expect(charges).toHaveLength(1);
    expect((await checkLedger(relay.ctx.db)).problems).toEqual([]);
  });

  it("refuses a bogus token with the relay's error code and leaves the order unpaid", async () => {
    const client = new ShopClient(shop.url);
    const order = await client.createOrder([{ productId: 'longjing', quantity: 1 }]);
    await expect(client.pay(order.orderId, 'not-a-real-token')).rejects.toMatchObject({ code: 'token_not_found', status: 404 });
    // A token already spent on another order is refused too.
    await expect(client.pay(order.orderId, result.payments[0]!.intent.token!.secret)).rejects.toMatchObject({ code: 'token_already_used' });
    expect(await client.order(order.orderId)).toMatchObject({ status: 'unpaid', chargeId: null });
  });

  it('says to start the relay when it is not running', async () => {
    await expect(runDemoAgent({ relayUrl: 'http://127.0.0.1:9', shopUrl: shop.url, pairingCode: 'x', log: () => undefined })).rejects.toThrow(DemoNotRunning);
    await expect(runDemoAgent({ relayUrl: 'http://127.0.0.1:9', shopUrl: shop.url, pairingCode: 'x', log: () => undefined })).rejects.toThrow(/start it with npm start/);
  });
});
