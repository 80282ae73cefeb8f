import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoShop } from '../relay/src/demo/shop.ts';
import { startRelay } from '../relay/src/relay.ts';
import { addVirtualAuthenticator, launchWithExtension, nextExtensionPage } from './browser.ts';
import { agentPlacesOrder, agentSubmitsCardForm, answerInWindow, closeTab, confirmationFor, type System } from './system.ts';

/** Where the tests' screenshots go, to be looked at (not kept in the repository). */
const SHOTS = mkdtempSync(join(tmpdir(), 'agentpay-options-shots-'));

/**
 * The system before anyone paired: a relay making its own single-use codes
 * (as `npm start` does), the demo shop, and Chromium with the extension.
 */
async function startUnpaired(): Promise<System> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentpay-e2e-data-'));
  const relay = await startRelay({ httpPort: 0, mqttPort: 0, mqttWsPort: 0, dataDir, logLevel: 'silent' });
  const shop = await startDemoShop({ relayUrl: relay.httpUrl, port: 0, dataDir });
  const browser = await launchWithExtension();
  return {
    relay, shop, browser, passkey: null,
    async close() {
      await browser.close();
      await shop.close();
      // A test may have stopped the relay already, to see the page cope with it being down.
      await relay.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let system: System | undefined;
afterEach(async () => {
  await system?.close();
  system = undefined;
});

/** The options page the extension opened on install, with a virtual authenticator standing in for the user's device. */
async function optionsPage(s: System) {
  const page = await nextExtensionPage(s.browser, 'options.html').catch(() => s.browser.context.newPage());
  if (!page.url().includes('options.html')) await page.goto(s.browser.url('options.html'));
  const authenticator = await addVirtualAuthenticator(page);
  const credentials = async (): Promise<unknown[]> =>
    (await authenticator.send('WebAuthn.getCredentials', { authenticatorId: authenticator.authenticatorId })).credentials;
  return { page, authenticator, credentials };
}

/** Fills the pairing form as a user does and presses Pair. */
async function submitPairing(page: Page, fields: { relayUrl?: string; code: string; passkeyFrom?: string }) {
  if (fields.relayUrl !== undefined) await page.getByLabel('Relay URL').fill(fields.relayUrl);
  await page.getByLabel('Pairing code').fill(fields.code);
  if (fields.passkeyFrom) {
    await page.getByLabel('Protect larger payments with a passkey').check();
    await page.getByLabel('Step-up amount').fill(fields.passkeyFrom);
    await page.getByLabel('Step-up currency').fill('CNY');
  }
  await page.getByRole('button', { name: 'Pair' }).click();
}

/** The code as a person might type it off the terminal: lower case, in two groups. */
const typedLoosely = (code: string) => `${code.slice(0, 4)} ${code.slice(4)}`.toLowerCase();

describe('pairing from the options page', () => {
  it('keeps the relay URL after a failure, says what went wrong, and pairs with the right code typed in lower case; no stray passkey', async () => {
    system = await startUnpaired();
    const { page, credentials } = await optionsPage(system);

    // A relay nobody runs: the page names the address it tried.
    await submitPairing(page, { relayUrl: 'http://127.0.0.1:9', code: 'ABCD2345', passkeyFrom: '100.00' });
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The relay is not reachable at http://127.0.0.1:9');

    await submitPairing(page, { relayUrl: system.relay.httpUrl, code: 'WRONG234' });
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^The pairing code is wrong: use the one the relay printed last\. Nothing was paired\.$/);
    await page.screenshot({ path: join(SHOTS, 'wrong-code.png'), fullPage: true });
    // What the user typed stays, so fixing the code is all it takes.
    expect(await page.getByLabel('Relay URL').inputValue()).toBe(system.relay.httpUrl);
    expect(await page.getByLabel('Protect larger payments with a passkey').isChecked()).toBe(true);
    expect(await page.getByLabel('Step-up amount').inputValue()).toBe('100.00');
    // Two failed tries made no passkey on the authenticator.
    expect(await credentials()).toHaveLength(0);

    await page.getByLabel('Pairing code').fill(typedLoosely(system.relay.ctx.pairingCode));
    await page.getByRole('button', { name: 'Pair' }).click();
    await page.getByRole('heading', { name: 'Paired' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'A passkey protects this wallet' }).waitFor();
    expect(await page.getByRole('list', { name: 'Step-up amounts' }).textContent()).toBe('CNY: from 100.00 CNY');
    expect(await credentials()).toHaveLength(1);
    await page.screenshot({ path: join(SHOTS, 'paired.png'), fullPage: true });
  }, 180_000);

  it('pairs without a passkey when its prompt fails, says so, and adds one later', async () => {
    system = await startUnpaired();
    const { page, authenticator, credentials } = await optionsPage(system);
    // The user does not verify (no fingerprint): creating the passkey fails.
    await authenticator.send('WebAuthn.setUserVerified', { authenticatorId: authenticator.authenticatorId, isUserVerified: false });

    await submitPairing(page, { relayUrl: system.relay.httpUrl, code: system.relay.ctx.pairingCode, passkeyFrom: '80.00' });
    await page.getByRole('heading', { name: 'Paired' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Paired without a passkey');
    await page.getByRole('status').filter({ hasText: 'No passkey' }).waitFor();
    expect(await credentials()).toHaveLength(0);
    await page.screenshot({ path: join(SHOTS, 'no-passkey.png'), fullPage: true });

    await authenticator.send('WebAuthn.setUserVerified', { authenticatorId: authenticator.authenticatorId, isUserVerified: true });
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('status').filter({ hasText: 'A passkey protects this wallet' }).waitFor();
    expect(await credentials()).toHaveLength(1);
    // The step-up amount chosen at pairing now applies, with the passkey the relay holds.
    expect(await page.getByRole('list', { name: 'Step-up amounts' }).textContent()).toBe('CNY: from 80.00 CNY');
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'A passkey protects this wallet' }).waitFor();
  }, 180_000);

  it('unpairs after asking, rejecting the payment waiting in the window, and a new code pairs a new wallet', async () => {
    system = await startUnpaired();
    const { page } = await optionsPage(system);
    await submitPairing(page, { relayUrl: system.relay.httpUrl, code: system.relay.ctx.pairingCode });
    await page.getByRole('heading', { name: 'Paired' }).waitFor();
    const firstWallet = await page.getByText(/\(wal_\w+\)/).textContent();

    // An agent's checkout waits in the confirmation window.
    const shopPage = await system.browser.context.newPage();
    const orderId = await agentPlacesOrder(shopPage, system.shop, { tieguanyin: 1 });
    await agentSubmitsCardForm(shopPage);
    await confirmationFor(system, '58.00 CNY');

    await page.bringToFront();
    await page.getByRole('button', { name: 'Unpair this browser…' }).click();
    const dialog = page.getByRole('dialog', { name: `Unpair from ${system.relay.httpUrl}?` });
    await expect.poll(() => dialog.textContent()).toContain('Browser automation is revoked on the relay');
    const question = await dialog.textContent();
    expect(question).toContain('Approvals stop');
    expect(question).toContain('the 1 payment waiting for you now is rejected');
    expect(question).toContain('Your records stay on the relay');
    await page.screenshot({ path: join(SHOTS, 'unpair-dialog.png'), fullPage: true });
    // Asking is not doing: keeping the pairing changes nothing.
    await dialog.getByRole('button', { name: 'Keep paired' }).click();
    expect(await page.getByRole('heading', { name: 'Paired' }).isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Unpair this browser…' }).click();
    await dialog.getByRole('button', { name: 'Unpair', exact: true }).click();
    await page.getByRole('heading', { name: 'Pair with your relay' }).waitFor();
    // The form offers the relay this browser was paired with, not the default one.
    expect(await page.getByLabel('Relay URL').inputValue()).toBe(new URL(system.relay.httpUrl).origin);
    // The checkout's page is told it was rejected, nothing was paid, and the window has nothing left to show.
    const notice = () => shopPage.evaluate(() => document.querySelector('agentpay-notice')?.shadowRoot?.querySelector('div')?.textContent ?? '');
    await expect.poll(notice, { timeout: 15_000 }).toContain('you unpaired this browser');
    expect(system.shop.orders.get(orderId).status).not.toBe('paid');
    await expect.poll(() => system!.browser.context.pages().filter((p) => !p.isClosed() && p.url().includes('/confirm.html')).length, { timeout: 15_000 }).toBe(0);

    // A new code (the relay printed one after the first was used) pairs again: a new wallet, no agents.
    await submitPairing(page, { relayUrl: system.relay.httpUrl, code: system.relay.ctx.pairingCode });
    await page.getByRole('heading', { name: 'Paired' }).waitFor();
    const secondWallet = await page.getByText(/\(wal_\w+\)/).textContent();
    expect(secondWallet).not.toBe(firstWallet);
    await page.getByRole('button', { name: 'Unpair this browser…' }).click();
    await expect.poll(() => dialog.textContent()).toContain('This wallet has no agents or devices on the relay to revoke');
    await closeTab(shopPage);
  }, 240_000);

  it('a lower step-up amount makes a payment above it ask for the passkey', async () => {
    system = await startUnpaired();
    const { page, credentials } = await optionsPage(system);
    await submitPairing(page, { relayUrl: system.relay.httpUrl, code: system.relay.ctx.pairingCode, passkeyFrom: '100.00' });
    await page.getByRole('heading', { name: 'Paired' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'A passkey protects this wallet' }).waitFor();

    const buyTea = async () => {
      const shopPage = await system!.browser.context.newPage();
      await agentPlacesOrder(shopPage, system!.shop, { tieguanyin: 1 });
      await agentSubmitsCardForm(shopPage);
      const { request } = await confirmationFor(system!, '58.00 CNY');
      return { shopPage, request };
    };
    // Below 100.00 CNY: a click is enough.
    const first = await buyTea();
    expect(await first.request.textContent()).not.toContain('needs your passkey');
    await answerInWindow(system, '58.00 CNY', 'Reject');
    await closeTab(first.shopPage);

    await page.bringToFront();
    await page.getByLabel('Ask for the passkey from').fill('50.00');
    await page.getByLabel('Currency').fill('CNY');
    await page.getByRole('button', { name: 'Save amount' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved: payments from 50.00 CNY ask for your passkey' }).waitFor();
    expect(await page.getByRole('list', { name: 'Step-up amounts' }).textContent()).toBe('CNY: from 50.00 CNY');
    expect(await credentials()).toHaveLength(1);

    const second = await buyTea();
    expect(await second.request.textContent()).toContain('This amount needs your passkey as well.');
    await closeTab(second.shopPage);
  }, 240_000);

  it('with the relay down, unpairing changes nothing until the user forgets the pairing in this browser only', async () => {
    system = await startUnpaired();
    const { page } = await optionsPage(system);
    await submitPairing(page, { relayUrl: system.relay.httpUrl, code: system.relay.ctx.pairingCode });
    await page.getByRole('heading', { name: 'Paired' }).waitFor();
    await system.relay.close();

    await page.getByRole('button', { name: 'Unpair this browser…' }).click();
    const dialog = page.getByRole('dialog', { name: `Unpair from ${system.relay.httpUrl}?` });
    await dialog.getByRole('button', { name: 'Unpair', exact: true }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe(
      `The relay at ${system.relay.httpUrl} did not answer, so nothing was unpaired and your agents keep their mandates there. Start the relay and try again, or forget the pairing in this browser only.`,
    );
    expect(await page.getByRole('heading', { name: 'Paired' }).isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'unpair-relay-down.png'), fullPage: true });

    await dialog.getByRole('button', { name: 'Forget it in this browser only' }).click();
    await page.getByRole('heading', { name: 'Pair with your relay' }).waitFor();
  }, 180_000);
});
