import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's place in relay/src/demo/. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Where `npm start` keeps its data: DATA_DIR, or `.data` at the repository
 * root. npm runs workspace scripts inside relay/, so the working directory
 * would put it in the wrong place; a relative DATA_DIR is taken from where
 * npm was started (INIT_CWD).
 */
export function demoDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DATA_DIR) return resolve(env.INIT_CWD ?? process.cwd(), env.DATA_DIR);
  return resolve(REPO_ROOT, '.data');
}
