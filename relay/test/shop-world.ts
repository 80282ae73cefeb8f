import type { Actor, Wallet } from '@agentpay/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DemoShop, startDemoShop } from '../src/demo/shop.ts';
import { ShopClient } from '../src/demo/shop/client.ts';
import type { Relay } from '../src/relay.ts';
import { type Party, setMandate, setUpParties, startTestRelay } from './harness.ts';

/** A relay, the demo shop in its own data folder, and an agent with a monthly budget at the shop. */
export interface ShopWorld {
  relay: Relay;
  shop: DemoShop;
  client: ShopClient;
  dataDir: string;
  agent: Party<Actor>;
  wallet: Party<Wallet>;
  close(): Promise<void>;
}

export async function startShopWorld(budgetMinor: number): Promise<ShopWorld> {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-shop-'));
  const relay = await startTestRelay('pglite');
  const shop = await startDemoShop({ relayUrl: relay.httpUrl, port: 0, dataDir });
  const { wallet, agent } = await setUpParties(relay);
  await setMandate(wallet, agent.record.id, {
    kind: 'quota', budget: { minor: budgetMinor, currency: 'CNY' }, period: 'month', merchants: [shop.merchant.id],
  });
  return {
    relay, shop, client: new ShopClient(shop.url), dataDir, agent, wallet,
    async close() {
      await shop.close();
      await relay.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
