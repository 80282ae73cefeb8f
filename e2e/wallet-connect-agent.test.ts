import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTab, confirmationFor, startSystem, type System } from './system.ts';

const REPOSITORY = join(import.meta.dirname, '..');
const SHOTS = mkdtempSync(join(tmpdir(), 'connect-agent-shots-'));

let system: System;
let agent: ChildProcess | undefined;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  if (agent?.exitCode === null && agent.pid) process.kill(-agent.pid, 'SIGKILL');
  await system?.close();
});

/** `npm run demo:agent -- --agent-code CODE`, as the README says, against this system's relay and shop. */
function runDemoAgent(code: string) {
  // The very command a user types, from the repository's root: npm must hand the flag on to the agent.
  const child = spawn('npm', ['run', 'demo:agent', '--', '--agent-code', code], {
    cwd: REPOSITORY,
    env: { ...process.env, RELAY_URL: system.relay.httpUrl, SHOP_URL: system.shop.url },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a test that fails can stop npm and the agent under it together.
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  return { child, exited, output: () => output };
}

describe('connecting the demo agent to the wallet the user paired', () => {
  it("makes an agent code in the AI Wallet; the demo agent's purchase waits in the confirmation window, then shows in the wallet's records", async () => {
    const wallet = await system.browser.context.newPage();
    await wallet.goto(system.browser.url('wallet.html'));
    await wallet.getByRole('button', { name: 'Make an agent code' }).click();
    const codeShown = wallet.getByLabel('Agent code');
    await codeShown.waitFor({ timeout: 15_000 });
    const code = (await codeShown.textContent())!.trim();
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    await expect.poll(() => wallet.getByRole('status').filter({ hasText: `npm run demo:agent -- --agent-code ${code}` }).count()).toBe(1);
    await wallet.screenshot({ path: join(SHOTS, 'wallet-agent-code.png'), fullPage: true });

    const demo = runDemoAgent(code);
    agent = demo.child;
    // The agent joined: the open wallet lists it without a reload.
    await wallet.getByRole('listitem').filter({ hasText: 'Demo shopping agent' }).first().waitFor({ timeout: 20_000 });

    // It has no mandate, so its purchase comes to the user's confirmation window, named as the agent.
    const { page: window, request } = await confirmationFor(system, '70.00 CNY');
    expect(await request.textContent()).toContain('Demo shopping agent');
    await window.screenshot({ path: join(SHOTS, 'confirm-demo-agent.png') });
    await request.getByRole('button', { name: 'Approve' }).click({ timeout: 10_000 });

    expect(await demo.exited, demo.output()).toBe(0);
    expect(demo.output()).toContain('Done: the AI Wallet lists this payment under "Demo shopping agent"');
    const paid = system.shop.orders.list().filter((o) => o.status === 'paid' && o.amount.minor === 70_00);
    expect(paid).toHaveLength(1);

    // And the wallet's records show it, bought by the demo agent, charged.
    const row = wallet.getByRole('row').filter({ hasText: 'Demo shopping agent' });
    await row.first().waitFor({ timeout: 20_000 });
    expect(await row.count()).toBe(1);
    expect(await row.first().textContent()).toContain('70.00 CNY');
    // The shop charged the token: the record's story says paid.
    await expect.poll(async () => (await row.first().getAttribute('data-state')) ?? '', { timeout: 15_000 }).toBe('paid');
    await wallet.screenshot({ path: join(SHOTS, 'wallet-demo-agent-record.png'), fullPage: true });
    console.log(`screenshots in ${SHOTS}`);
    await closeTab(wallet);
  }, 180_000);
});
