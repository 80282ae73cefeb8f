import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { type BidiSend, bidiOf, topLevelContexts } from './bidi.ts';
import { ExtensionTab } from './extension-tab.ts';

/**
 * The built Firefox extension the tests load: .output/firefox-mv2, which e2e/global-setup.ts builds,
 * or FIREFOX_EXTENSION_DIR (relative to the repository), e.g. .output/firefox-mv3 from `npx wxt build -b firefox --mv3`.
 */
export const FIREFOX_EXTENSION_DIR = resolve(import.meta.dirname, '../..', process.env.FIREFOX_EXTENSION_DIR ?? '.output/firefox-mv2');

/** The add-on id in the Firefox manifest (wxt.config.ts, browser_specific_settings.gecko.id). */
const ADDON_ID = 'wallet@agentpay.dev';
/** Firefox gives each install a random moz-extension host; this pref fixes it, so tests can open the extension's pages. */
const EXTENSION_UUID = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';

/** Firefox to drive: FIREFOX_PATH, else Debian's ESR. */
export function firefoxPath(): string {
  const found = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].find((path) => path && existsSync(path));
  if (!found) throw new Error("no Firefox found: install Debian's (apt-get install -y firefox-esr) or set FIREFOX_PATH");
  return found;
}

/** Stock Firefox, headless, with the extension installed as a temporary add-on, driven over WebDriver BiDi. */
export interface FirefoxWithExtension {
  browser: Browser;
  /** Raw BiDi commands, for the extension's own tabs. */
  bidi: BidiSend;
  /** moz-extension://<uuid>/<path> */
  url(path: string): string;
  /** A new tab for a web page, driven through Puppeteer. */
  newPage(): Promise<Page>;
  /** Opens one of the extension's pages in a new window. */
  openExtensionPage(path: string): Promise<ExtensionTab>;
  /** The open tab or window showing the extension page `path`, once there is one (the confirmation window, the options page). */
  extensionPage(path: string, timeout?: number): Promise<ExtensionTab>;
  /** Every open tab or window showing the extension page `path`. */
  extensionPages(path: string): Promise<ExtensionTab[]>;
  close(): Promise<void>;
}

export async function launchFirefoxWithExtension(extensionDir = FIREFOX_EXTENSION_DIR): Promise<FirefoxWithExtension> {
  if (!existsSync(resolve(extensionDir, 'manifest.json'))) throw new Error(`no built Firefox extension in ${extensionDir}: run npm run build:extension:firefox`);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    // Lets BiDi navigate to moz-extension:// pages and run scripts in them: without it Firefox keeps them out of reach.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: EXTENSION_UUID }) },
  });
  const bidi = bidiOf(browser);
  const base = `moz-extension://${EXTENSION_UUID}/`;
  const url = (path: string) => base + path.replace(/^\//, '');
  await browser.installExtension(extensionDir);

  const extensionPages = async (path: string) =>
    (await topLevelContexts(bidi)).filter((c) => c.url.startsWith(url(path))).map((c) => new ExtensionTab(bidi, c.context));

  const firefox: FirefoxWithExtension = {
    browser,
    bidi,
    url,
    newPage: () => browser.newPage(),
    extensionPages,
    async extensionPage(path, timeout = 15_000) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const [tab] = await extensionPages(path);
        if (tab) {
          await tab.waitFor(`${path} to load`, () => document.readyState === 'complete', []);
          return tab;
        }
        if (Date.now() > deadline) throw new Error(`no tab showed ${url(path)} within ${timeout} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async openExtensionPage(path) {
      // A window of its own: a new tab would open in the last focused window, which may be the
      // confirmation popup, and close with it.
      const created = await bidi('browsingContext.create', { type: 'window' });
      const context = String(Reflect.get(Object(created), 'context'));
      // Firefox reports no load events for extension pages over BiDi, so wait for the document instead.
      await bidi('browsingContext.navigate', { context, url: url(path), wait: 'none' });
      const tab = new ExtensionTab(bidi, context);
      await tab.waitFor(`${path} to load`, (expected) => location.href.startsWith(expected) && document.readyState === 'complete', [url(path)]);
      return tab;
    },
    async close() {
      await browser.close();
    },
  };
  // The extension opens its options page when installed. A file whose first test opened a tab at
  // once (frames.test.ts) once saw that first test hang to its timeout in CI, most likely racing the
  // install's own tab: the browser is handed over only once that tab is there.
  await firefox.extensionPage('options.html');
  return firefox;
}
