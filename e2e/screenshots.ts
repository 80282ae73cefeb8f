import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where a test saves a screenshot of what a person sees, to be looked at. README's
 * pictures are kept in docs/screenshots and written only on purpose
 * (`UPDATE_SCREENSHOTS=1 npx vitest run e2e/<file>`), so a test run leaves the
 * repository as it found it.
 */
export function screenshotPath(name: string): string {
  const folder = process.env.UPDATE_SCREENSHOTS === '1' ? resolve(import.meta.dirname, '../docs/screenshots') : join(tmpdir(), 'agentpay-screenshots');
  mkdirSync(folder, { recursive: true });
  return join(folder, name);
}
