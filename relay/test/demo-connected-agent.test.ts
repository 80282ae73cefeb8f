import type { AgentInvite, ConfirmationRequest, Intent } from '@agentpay/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTED_AGENT_NAME, runConnectedAgent } from '../src/demo/connected-agent.ts';
import { type DemoShop, startDemoShop } from '../src/demo/shop.ts';
import type { Relay } from '../src/relay.ts';
import { answer, setUpParties, startTestRelay, until } from './harness.ts';

describe('npm run demo:agent -- --agent-code CODE', () => {
  let relay: Relay;
  let shop: DemoShop;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'demo-connected-'));
    relay = await startTestRelay('pglite');
    shop = await startDemoShop({ relayUrl: relay.httpUrl, port: 0, dataDir });
  });
  afterAll(async () => {
    await shop?.close();
    await relay?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("buys for the user's own wallet: held for the user's confirmation, paid once approved, listed in the wallet", async () => {
    const { wallet } = await setUpParties(relay);
    const invite = await wallet.client.post<AgentInvite>('/v1/wallet/agent-invites', {});
    const lines: string[] = [];
    const run = runConnectedAgent({ relayUrl: relay.httpUrl, shopUrl: shop.url, agentCode: invite.code, log: (line) => lines.push(line) });

    // The user sees the agent's purchase among those waiting, and approves it.
    let request: ConfirmationRequest | undefined;
    await until(async () => {
      const { confirmations } = await wallet.client.get<{ confirmations: ConfirmationRequest[] }>('/v1/wallet/confirmations');
      request = confirmations.find((c) => c.actorName === CONNECTED_AGENT_NAME);
      return request !== undefined;
    });
    const held = await wallet.client.get<Intent>(`/v1/intents/${request!.intentId}`);
    await answer(wallet, held, 'approve');

    const result = await run;
    expect(result.walletId).toBe(wallet.record.id);
    expect(result.order).toMatchObject({ status: 'paid', amount: { minor: 70_00, currency: 'CNY' } });
    const { records } = await wallet.client.get<{ records: { id: string; boughtBy: { name: string }; charge: { id: string } | null }[] }>('/v1/wallet/records');
    expect(records.find((r) => r.id === result.intent.id)).toMatchObject({ boughtBy: { name: CONNECTED_AGENT_NAME }, charge: { id: result.order.chargeId } });
    expect(lines.join('\n')).toContain('approve or reject it in the AgentPay confirmation window');
  }, 60_000);

  it('says plainly that a wrong code connected nothing', async () => {
    await expect(runConnectedAgent({ relayUrl: relay.httpUrl, shopUrl: shop.url, agentCode: 'ABCD-EFGH-JKMN', log: () => undefined }))
      .rejects.toThrow(/this agent code is wrong; nothing was connected/);
  });
});
