import { execFile } from 'node:child_process';
import { mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type AgentInvite, type Intent, RelayHttpClient } from '@agentpay/protocol';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../../relay/src/relay.ts';
import { answer, cart, dropSchema, setMandate, setUpParties, startTestRelay } from '../../relay/test/harness.ts';
import { importAgentKey, readAgentFile } from '../src/agent-file.ts';

/**
 * `agentpay-mcp` as an MCP client meets it: the bin enrolled with an agent code the user made in
 * the wallet (`init`), then started over stdio by the official SDK's client, exactly as Claude
 * Code or Cursor start it from their `mcpServers` entry. Every answer is checked against the relay.
 */
const BIN = resolve(import.meta.dirname, '../bin/agentpay-mcp.js');
const run = promisify(execFile);

let relay: Relay;
let parties: Awaited<ReturnType<typeof setUpParties>>;
let agentFile: string;
let client: Client;

/** The tool's structured answer, or its error text, as a client receives them. */
async function call(name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  return { error: result.isError ? String((result.content as { text: string }[])[0]?.text) : null, data: result.structuredContent as Record<string, any>, text: (result.content as { text: string }[])[0]?.text ?? '', raw: JSON.stringify(result) };
}

beforeAll(async () => {
  relay = await startTestRelay('pglite');
  parties = await setUpParties(relay);
  agentFile = join(mkdtempSync(join(tmpdir(), 'agentpay-mcp-')), 'agent.json');
  const { code } = await parties.wallet.client.post<AgentInvite>('/v1/wallet/agent-invites', {});
  const init = await run(process.execPath, [BIN, 'init', '--relay', relay.httpUrl, '--code', code, '--name', 'Claude Code', '--agent-file', agentFile]);
  expect(init.stdout).toMatch(/Enrolled "Claude Code" \(agt_\w+\) in your wallet/);
  client = new Client({ name: 'agentpay-mcp-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, '--agent-file', agentFile], stderr: 'pipe' }));
}, 60_000);
afterAll(async () => {
  await client?.close();
  await dropSchema(relay);
});

/** The agent's own signed client, read from the file init wrote: what the MCP server signs with. */
async function agentRelay() {
  const agent = await readAgentFile(agentFile);
  return { agent, relay: new RelayHttpClient(agent.relayUrl, { id: agent.agentId, privateKey: await importAgentKey(agent) }) };
}

describe('agentpay-mcp over stdio, with the official MCP client', () => {
  it('init enrolled the agent in the wallet under its name, its key readable by the owner only', async () => {
    const { agent } = await agentRelay();
    const { actors } = await parties.wallet.client.get<{ actors: { id: string; name: string; mandate: unknown }[] }>('/v1/wallet/actors');
    expect(actors.find((a) => a.id === agent.agentId)).toMatchObject({ name: 'Claude Code' });
    expect(statSync(agentFile).mode & 0o777).toBe(0o600);
  });

  it('lists its tools, the ones that only read marked read-only', async () => {
    const { tools } = await client.listTools();
    expect(Object.fromEntries(tools.map((t) => [t.name, t.annotations?.readOnlyHint]))).toEqual({
      get_spending_power: true, request_payment: false, pay_http_resource: false, get_payment: true, list_purchases: true, cancel_payment: false, request_refund: false, get_credits: true, top_up_credits: false, report_progress: false,
    });
  });

  it('says when there are no prepaid credits at any vendor yet (Token Pay)', async () => {
    expect(await call('get_credits')).toMatchObject({ error: null, text: expect.stringMatching(/^No prepaid credits at any vendor yet\. Buy some with top_up_credits/), data: { credits: [] } });
  });

  it('tells the agent what it may spend, before and after the user sets a budget', async () => {
    expect((await call('get_spending_power')).text).toBe('No mandate is set: every payment you ask for waits for your user to approve it.');
    const { agent } = await agentRelay();
    await setMandate(parties.wallet, agent.agentId, { kind: 'quota', budget: { minor: 300_00, currency: 'CNY' }, period: 'month', merchants: [parties.merchant.record.id] });
    const power = await call('get_spending_power');
    expect(power.data.mandate).toMatchObject({ kind: 'quota', paysWithoutAsking: true, budget: { left: { minor: 300_00, currency: 'CNY' } } });
    expect(power.text).toMatch(/^A budget of 300\.00 CNY a month, at Demo Shop\. Left: 300\.00 CNY of 300\.00 CNY until /);
  });

  it('follows a payment held for the user to its approval, and lists it, never showing its token', async () => {
    const { relay: signed } = await agentRelay();
    const held = await signed.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 400_00)); // over the 300.00 budget
    expect(held.status).toBe('pending_confirmation');
    expect((await call('get_payment', { paymentId: held.id })).data).toMatchObject({ paymentId: held.id, status: 'pending_confirmation' });

    await answer(parties.wallet, held, 'approve');
    const seen = await call('get_payment', { paymentId: held.id, waitSeconds: 5 });
    expect(seen.data).toMatchObject({ status: 'approved', amount: { minor: 400_00, currency: 'CNY' } });
    const { token } = await signed.get<Intent>(`/v1/intents/${held.id}`);
    expect(seen.raw).not.toContain(token!.secret);
    expect(seen.raw).not.toContain(token!.card!.number);

    const listed = await call('list_purchases', { limit: 5 });
    expect(listed.data.purchases[0]).toMatchObject({ paymentId: held.id, merchant: 'Demo Shop', state: 'approved' });
    expect(listed.raw).not.toContain(token!.secret);

    // Withdrawn before the shop charged it: the token can no longer be charged.
    expect((await call('cancel_payment', { paymentId: held.id, reason: 'the user bought it elsewhere' })).text).toBe('Cancelled: the approved payment can no longer be charged, and nothing was paid.');
    expect((await call('cancel_payment', { paymentId: held.id, reason: 'asked again' })).text).toBe('Already cancelled: it can no longer be charged, and nothing was paid.');
    await expect(parties.merchant.client.post('/v1/merchant/charges', { token: token!.secret, amount: { minor: 400_00, currency: 'CNY' } })).rejects.toMatchObject({ code: 'token_revoked' });
  });

  it("reports a task's progress to the wallet's timeline", async () => {
    await call('report_progress', { taskId: 'tsk_mcp_tea', stage: 'searching', message: 'looking for green tea' });
    const task = await parties.wallet.client.get<{ steps: { stage: string; message: string }[] }>('/v1/wallet/tasks/tsk_mcp_tea');
    expect(task.steps).toMatchObject([{ stage: 'searching', message: 'looking for green tea' }]);
  });

  it.each([
    ['get_payment', { paymentId: 'not-an-id' }, 'paymentId'],
    ['list_purchases', { limit: 0 }, 'limit'],
    ['report_progress', { taskId: 'tsk_x', stage: 'teleporting' }, 'stage'],
    ['cancel_payment', { paymentId: 'int_doesnotexist' , reason: 'x' }, 'no intent int_doesnotexist'],
  ])('a bad call to %s is a tool error naming what was wrong', async (name, args, named) => {
    const result = await call(name, args);
    expect(result.error).toContain(named);
  });
});

describe('agentpay-mcp on the command line', () => {
  it('explains itself with --help, and refuses to serve without an enrolled agent, saying how to enrol', async () => {
    expect((await run(process.execPath, [BIN, '--help'])).stdout).toContain('agentpay-mcp init --relay URL --code CODE');
    const missing = join(mkdtempSync(join(tmpdir(), 'agentpay-mcp-')), 'none.json');
    await expect(run(process.execPath, [BIN, '--agent-file', missing])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('run `npx agentpay-mcp init --relay URL --code CODE` first') });
  });

  it("init refuses to write over an agent file or through a symlink (before spending the code), and a corrupt file is named without quoting it", async () => {
    const { code } = await parties.wallet.client.post<AgentInvite>('/v1/wallet/agent-invites', {});
    const dir = mkdtempSync(join(tmpdir(), 'agentpay-mcp-'));
    symlinkSync(agentFile, join(dir, 'link.json'));
    await expect(run(process.execPath, [BIN, 'init', '--relay', relay.httpUrl, '--code', code, '--agent-file', agentFile])).rejects.toMatchObject({ stderr: expect.stringContaining('already holds an agent: pass --force') });
    await expect(run(process.execPath, [BIN, 'init', '--relay', relay.httpUrl, '--code', code, '--agent-file', join(dir, 'link.json')])).rejects.toMatchObject({ stderr: expect.stringContaining('is a symbolic link') });
    // The code was not spent by the refusals: it still enrols an agent elsewhere.
    await run(process.execPath, [BIN, 'init', '--relay', relay.httpUrl, '--code', code, '--agent-file', join(dir, 'second.json')]);
    writeFileSync(join(dir, 'broken.json'), '{"privateKey":{"d":"SECRETKEYMATERIAL"},"name":nope}');
    const broken = await run(process.execPath, [BIN, '--agent-file', join(dir, 'broken.json')]).catch((error: { stderr: string }) => error);
    expect(broken.stderr).toContain('is not JSON: run init again');
    expect(broken.stderr).not.toContain('SECRETKEY');
  });

  it('init with a wrong code says so and writes no agent file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'agentpay-mcp-')), 'agent.json');
    await expect(run(process.execPath, [BIN, 'init', '--relay', relay.httpUrl, '--code', 'WRONG-CODE', '--agent-file', file])).rejects.toMatchObject({ code: 1 });
    expect(() => statSync(file)).toThrow();
  });
});
