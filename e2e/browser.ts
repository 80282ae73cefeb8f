import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** The built Chrome extension the tests load (global-setup.ts builds it). */
export const EXTENSION_DIR = resolve(import.meta.dirname, '../.output/chrome-mv3');

/**
 * Chromium to drive: CHROMIUM_PATH, else a Playwright-managed one if present,
 * else Debian's. Branded Chrome no longer loads unpacked extensions this way.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, safe(() => chromium.executablePath()), '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((path) => path && existsSync(path));
  if (!found) throw new Error('no Chromium found: install Debian\'s (apt-get install -y chromium) or set CHROMIUM_PATH');
  return found;
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** chrome-extension://<id>/<path> */
  url(path: string): string;
  close(): Promise<void>;
}

/** A fresh Chromium profile with the extension loaded, headless, quiet on a closed network. */
export async function launchWithExtension(options: { automated?: boolean; args?: string[]; timeZone?: string } = {}): Promise<ExtensionBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'agentpay-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    // The browser's own time zone, as a person's machine has one (TZ is what Chromium reads on Linux).
    ...(options.timeZone ? { env: { ...process.env, TZ: options.timeZone } } : {}),
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', `--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`,
      // A person's browser: navigator.webdriver is false, as it is when no automation drives it.
      ...(options.automated === false ? ['--disable-blink-features=AutomationControlled'] : []),
      ...(options.args ?? []),
    ],
  });
  // Playwright's library waits forever by default; a stuck step should fail and say where.
  context.setDefaultTimeout(15_000);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    url: (path) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Chromium's virtual authenticator on `page`, standing in for the user's fingerprint or face. */
export async function addVirtualAuthenticator(page: Page): Promise<{ authenticatorId: string; send: (method: string, params?: object) => Promise<any> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { authenticatorId, send: (method, params) => cdp.send(method as never, params as never) };
}

/**
 * The window the extension opens (or has opened) on `path`, e.g. the confirmation window.
 * A tab the extension opens may first be reported as about:blank and only then navigate,
 * so the open pages' addresses are watched rather than only the "page" event.
 */
export async function nextExtensionPage(browser: ExtensionBrowser, path: string, timeout = 15_000): Promise<Page> {
  const wanted = browser.url(path);
  const find = () => browser.context.pages().find((p) => !p.isClosed() && p.url().startsWith(wanted));
  const deadline = Date.now() + timeout;
  for (let found = find(); ; found = find()) {
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no extension page ${path} opened within ${timeout} ms`);
    // Woken by a new page, or after a short while for a navigation of one already open.
    await browser.context.waitForEvent('page', { timeout: 100 }).catch(() => undefined);
  }
}
