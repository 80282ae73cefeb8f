import { defineConfig } from 'wxt';
import pkg from './package.json' with { type: 'json' };

/**
 * The AgentPay browser extension. Sources live in `extension/`; `wxt build`
 * writes `.output/chrome-mv3`, `wxt build -b firefox` writes `.output/firefox-mv2`.
 */
export default defineConfig({
  srcDir: 'extension',
  outDir: '.output',
  // WXT looks for public files in <root>/public; ours (the icons) are in extension/public.
  publicDir: 'extension/public',
  modules: ['@wxt-dev/webextension-polyfill'],
  // Every import is written out, so a reader can follow where each name comes from.
  imports: false,
  manifest: ({ browser }) => ({
    name: 'AgentPay',
    version: pkg.version,
    description: 'Holds checkouts driven by AI agents, asks you in a window of its own (with your passkey above the amount you choose), and pays with single-use tokens.',
    permissions: ['storage', 'notifications', 'tabs', 'scripting', 'alarms', ...(browser === 'firefox' ? [] : ['offscreen'])],
    // Checkouts happen on any shop, and the relay may be anywhere the user pairs with.
    host_permissions: ['<all_urls>'],
    action: { default_title: 'AgentPay' },
    // The isolated-world loader (extension/entrypoints/loader.ts) and the main-world interceptor.
    // In every frame, as the interceptor: hosted card fields are frames. match_origin_as_fallback (Chrome, Firefox 128+)
    // reaches data:, blob: and sandboxed frames, where the interceptor runs too and must have a bridge to ask.
    content_scripts: [
      {
        matches: ['<all_urls>'],
        run_at: 'document_start',
        js: ['loader.js'],
        all_frames: true,
        match_about_blank: true,
        match_origin_as_fallback: true,
      },
      // The main-world interceptor (extension/entrypoints/interceptor.ts), after the loader so the loader hears it.
      // Frames without a URL of their own (about:blank, srcdoc, blob:) are their creator's: hosted fields are often made so.
      {
        matches: ['<all_urls>'],
        run_at: 'document_start',
        js: ['interceptor.js'],
        world: 'MAIN',
        all_frames: true,
        match_about_blank: true,
        match_origin_as_fallback: true,
      },
    ],
    // The QR decoder is WebAssembly (zxing-cpp); WXT turns this into the MV2 string form for Firefox.
    content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" },
    // Firefox runs content scripts in the page's main world from 128 on; older ones could not intercept.
    browser_specific_settings:
      browser === 'firefox' ? { gecko: { id: 'wallet@agentpay.dev', strict_min_version: '128.0' } } : undefined,
  }),
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    // The QR decoder's worker is an ES module, so it can import zxing-wasm.
    worker: { format: 'es' },
    build: {
      rollupOptions: {
        // zod's sources carry /*#__PURE__*/ hints rollup cannot place; harmless, and noisy on every build.
        onwarn(warning, warn) {
          if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
        },
      },
    },
  }),
});
