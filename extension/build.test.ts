import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Both browser builds, from the current sources, into a directory of their own
 * (the e2e suite's `.output/chrome-mv3` is left alone): the manifests are what
 * each browser is told, so a config change that drops a permission, the CSP or
 * the main-world content script fails here rather than in a browser.
 */
const root = resolve(import.meta.dirname, '..');
let outDir: string;
const manifests: Record<'chrome' | 'firefox', Manifest> = {} as never;

interface ContentScript {
  matches: string[];
  js: string[];
  run_at?: string;
  world?: string;
}
interface Manifest {
  manifest_version: number;
  version: string;
  permissions?: string[];
  host_permissions?: string[];
  content_security_policy?: string | { extension_pages?: string };
  background?: { service_worker?: string; scripts?: string[]; persistent?: boolean };
  content_scripts?: ContentScript[];
  browser_specific_settings?: { gecko?: { id?: string; strict_min_version?: string } };
  action?: unknown;
  browser_action?: unknown;
  options_ui?: { page: string };
  icons?: Record<string, string>;
}

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'agentpay-ext-build-'));
  // WXT's JS API takes an outDir (its CLI does not); one Node process builds both, one after the other,
  // since both builds rewrite .wxt/.
  const script = `
    import { build } from 'wxt';
    for (const browser of ['chrome', 'firefox']) await build({ root: ${JSON.stringify(root)}, browser, outDir: ${JSON.stringify(outDir)}, logger: { ...console, info() {}, success() {}, log() {}, debug() {}, start() {}, box() {}, ready() {} } });
  `;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
  manifests.chrome = JSON.parse(readFileSync(join(outDir, 'chrome-mv3/manifest.json'), 'utf8')) as Manifest;
  manifests.firefox = JSON.parse(readFileSync(join(outDir, 'firefox-mv2/manifest.json'), 'utf8')) as Manifest;
}, 120_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const bridge = (m: Manifest) => m.content_scripts?.find((s) => s.js.some((file) => file.endsWith('loader.js')));
const interceptor = (m: Manifest) => m.content_scripts?.find((s) => s.js.some((file) => file.endsWith('interceptor.js')));
const packageVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

describe('Chrome MV3 build', () => {
  it('is manifest v3 with a service worker', () => {
    const m = manifests.chrome;
    expect(m.manifest_version).toBe(3);
    expect(m.version).toBe(packageVersion);
    expect(m.background).toEqual({ service_worker: 'background.js' });
    expect(m.action).toBeDefined();
    expect(m.options_ui?.page).toBe('options.html');
  });

  it('asks for storage, notifications, tabs and offscreen, and every host', () => {
    expect(manifests.chrome.permissions).toEqual(expect.arrayContaining(['storage', 'notifications', 'tabs', 'offscreen']));
    expect(manifests.chrome.host_permissions).toEqual(['<all_urls>']);
  });

  it("allows WebAssembly ('wasm-unsafe-eval') and nothing looser on its pages", () => {
    const csp = manifests.chrome.content_security_policy;
    expect(typeof csp).toBe('object');
    const pages = (csp as { extension_pages: string }).extension_pages;
    expect(pages).toContain("'wasm-unsafe-eval'");
    expect(pages).not.toMatch(/'unsafe-eval'|'unsafe-inline'|https?:/);
  });

  it('runs both content scripts at document_start on every page, the interceptor in the MAIN world', () => {
    const m = manifests.chrome;
    expect(m.content_scripts).toHaveLength(2);
    expect(bridge(m)).toMatchObject({ matches: ['<all_urls>'], run_at: 'document_start' });
    expect(bridge(m)?.world).toBeUndefined(); // the isolated world: it talks to the background
    expect(interceptor(m)).toMatchObject({ matches: ['<all_urls>'], run_at: 'document_start', world: 'MAIN' });
  });

  it('ships its icons', () => {
    expect(manifests.chrome.icons).toMatchObject({ 16: 'icon/16.png', 128: 'icon/128.png' });
    for (const file of Object.values(manifests.chrome.icons ?? {})) expect(readFileSync(join(outDir, 'chrome-mv3', file)).length).toBeGreaterThan(0);
  });
});

describe('Firefox MV2 build', () => {
  it('is manifest v2 with background scripts and a gecko id', () => {
    const m = manifests.firefox;
    expect(m.manifest_version).toBe(2);
    expect(m.version).toBe(packageVersion);
    expect(m.background?.scripts).toEqual(['background.js']);
    expect(m.background?.service_worker).toBeUndefined();
    expect(m.browser_specific_settings?.gecko?.id).toBe('wallet@agentpay.dev');
    expect(m.browser_action).toBeDefined();
  });

  it('has no offscreen permission, and its host permission folded into permissions (MV2)', () => {
    const m = manifests.firefox;
    expect(m.permissions).toEqual(expect.arrayContaining(['storage', 'notifications', 'tabs', '<all_urls>']));
    expect(m.permissions).not.toContain('offscreen');
    expect(m.host_permissions).toBeUndefined();
  });

  it("has the CSP as an MV2 string, still with 'wasm-unsafe-eval'", () => {
    const csp = manifests.firefox.content_security_policy;
    expect(typeof csp).toBe('string');
    expect(csp).toContain("'wasm-unsafe-eval'");
  });

  it('runs both content scripts at document_start; WXT passes world: MAIN through unchanged', () => {
    const m = manifests.firefox;
    expect(m.content_scripts).toHaveLength(2);
    expect(bridge(m)).toMatchObject({ matches: ['<all_urls>'], run_at: 'document_start' });
    // Firefox honours `world: "MAIN"` in content_scripts from version 128 only; older ones would run the
    // interceptor in the isolated world, where it cannot see the page's fetch or PaymentRequest.
    expect(interceptor(m)).toMatchObject({ matches: ['<all_urls>'], run_at: 'document_start', world: 'MAIN' });
  });
});

describe('the confirmation window', () => {
  /** Every script confirm.html runs before it can draw: its entry and what that imports statically, not `import()`. */
  function scriptsBeforeFirstDraw(): Map<string, string> {
    const dir = join(outDir, 'chrome-mv3');
    const html = readFileSync(join(dir, 'confirm.html'), 'utf8');
    const entry = /<script type="module"[^>]* src="\/([^"]+)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    const seen = new Map<string, string>();
    const visit = (path: string) => {
      if (seen.has(path)) return;
      const code = readFileSync(join(dir, path), 'utf8');
      seen.set(path, code);
      // Static imports only: `import{…}from"./x.js"` and `import"./x.js"`.
      for (const [, file] of code.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) visit(join(path, '..', file!));
    };
    visit(entry!);
    return seen;
  }

  it('draws without the contract\'s schema library (loaded afterwards, for answering)', () => {
    const scripts = scriptsBeforeFirstDraw();
    expect(scripts.size).toBeGreaterThan(1);
    for (const [path, code] of scripts) expect(code.includes('ZodError'), `${path} carries zod`).toBe(false);
    // The answering path is still there, loaded when a request is on screen.
    expect([...scripts.values()].some((code) => code.includes('answer-'))).toBe(true);
  });
});
