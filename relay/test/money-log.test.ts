import type { Charge, Intent } from '@agentpay/protocol';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answer, cart, until } from './harness.ts';
import { partiesAt } from './parties-at.ts';

const RELAY = join(import.meta.dirname, '..', 'bin', 'relay.js');
const PAIRING_CODE = 'LOG-LINES-TEST';

/** `relay start` in its own process, its log (stderr) collected as a person or a log shipper reads it. */
async function startRelayProcess(logFormat: 'pretty' | 'json') {
  const child = spawn(process.execPath, [RELAY, 'start', '--in-memory', '--http-port', '0', '--mqtt-port', '0', '--mqtt-ws-port', '0'], {
    env: { ...process.env, PAIRING_CODE, LOG_FORMAT: logFormat, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await until(() => /^relay\s+http/m.test(stdout) || child.exitCode !== null, 60_000);
  if (child.exitCode !== null) throw new Error(`relay ended: ${stderr}`);
  return { child, relayUrl: stdout.match(/^relay\s+(\S+)/m)![1]!, log: () => stderr };
}

/** A purchase within the budget (charged, then partly refunded) and one held and approved by the user. */
async function moveMoney(relayUrl: string) {
  const { walletParty, merchant, merchantId, agent } = await partiesAt(relayUrl, PAIRING_CODE);
  const approved = await agent.client.post<Intent>('/v1/intents', cart(merchantId, 40_00));
  const charge = await merchant.post<Charge>('/v1/merchant/charges', { token: approved.token!.secret, amount: approved.amount });
  await merchant.post(`/v1/merchant/charges/${charge.id}/refunds`, { amount: { minor: 15_00, currency: 'CNY' } });
  const held = await agent.client.post<Intent>('/v1/intents', cart(merchantId, 2_000_00));
  await answer(walletParty, held, 'deny');
  return { approved, charge, held };
}

describe('the relay log when money moves', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  it('writes one readable line per decision, charge and refund on a terminal', async () => {
    const relay = await startRelayProcess('pretty');
    child = relay.child;
    const { approved, charge, held } = await moveMoney(relay.relayUrl);
    const expected = [
      new RegExp(`INFO.*approved: 40\\.00 CNY at Corner Tea House for Tea buyer \\(.+\\) \\[mandate mdt_\\w+\\], intent ${approved.id}`),
      new RegExp(`INFO.*charged 40\\.00 CNY at Corner Tea House for Tea buyer, charge ${charge.id}`),
      new RegExp(`INFO.*refunded 15\\.00 CNY at Corner Tea House for Tea buyer, charge ${charge.id}`),
      new RegExp(`INFO.*held for the user: 2,?000\\.00 CNY at Corner Tea House for Tea buyer \\(.+\\).*, intent ${held.id}`),
      new RegExp(`INFO.*refused by the user: 2,?000\\.00 CNY at Corner Tea House for Tea buyer.*, intent ${held.id}`),
    ];
    await until(() => expected.every((line) => line.test(relay.log())), 20_000).catch(() => undefined);
    const lines = relay.log().split('\n');
    console.log(lines.filter((l) => l.includes('CNY')).join('\n'));
    for (const line of expected) expect(lines.filter((l) => line.test(l)), `${line}\n${relay.log()}`).toHaveLength(1);
    // Readable means no JSON braces on the lines a person reads.
    expect(lines.filter((l) => l.includes('CNY')).every((l) => !l.trim().startsWith('{'))).toBe(true);
  }, 120_000);

  it('keeps JSON with the payment fields for log shippers', async () => {
    const relay = await startRelayProcess('json');
    child = relay.child;
    const { charge } = await moveMoney(relay.relayUrl);
    const charged = () =>
      relay.log().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; payment?: { kind: string; chargeId: string; amount: unknown } })
        .find((entry) => entry.payment?.kind === 'charge');
    await until(() => charged() !== undefined, 20_000);
    expect(charged()).toMatchObject({ msg: expect.stringContaining('charged 40.00 CNY'), payment: { chargeId: charge.id, amount: { minor: 40_00, currency: 'CNY' } } });
  }, 120_000);
});
