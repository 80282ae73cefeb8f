import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Builds the Chrome extension once before the browser tests, so they always test the current sources. */
export default function setup(): void {
  const root = resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [resolve(root, 'node_modules/wxt/bin/wxt.mjs'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
