import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Builds the extension once before the browser tests, so they always test the
 * current sources: the Chrome build (.output/chrome-mv3) and the Firefox build
 * (.output/firefox-mv2, loaded by e2e/firefox/), one after the other, since
 * both write WXT's generated files in .wxt/.
 */
export default async function setup(): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  const wxt = resolve(root, 'node_modules/wxt/bin/wxt.mjs');
  execFileSync(process.execPath, [wxt, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(process.execPath, [wxt, 'build', '-b', 'firefox'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
