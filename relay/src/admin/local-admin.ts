import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import * as z from 'zod';
import type { RelayContext } from '../context.ts';
import { checkLedger } from '../ledger/check.ts';

/**
 * The file in the data folder that tells a local `relay ledger check` where the running relay is and
 * the key its admin route wants. Whoever can read it can already read the database in the same folder,
 * so it grants nothing new; it is written owner-only and removed when the relay stops.
 */
const ADMIN_FILE = 'relay-admin.json';
export const LEDGER_CHECK_PATH = '/admin/ledger-check';

const AdminFile = z.object({ url: z.string().url(), key: z.string().min(32) });
export type AdminFile = z.infer<typeof AdminFile>;

/**
 * Serves `GET /admin/ledger-check` for the holder of the key: PGlite lets one process open a folder,
 * so a check run beside a running relay asks that relay to run it. Not part of the public API.
 */
export function serveLocalAdmin(app: Hono, ctx: RelayContext): { key: string } {
  const key = randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${key}`);
  app.get(LEDGER_CHECK_PATH, async (c) => {
    const given = Buffer.from(c.req.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return c.json({ error: { code: 'unauthenticated', message: `the admin key in ${ADMIN_FILE} of the relay's data folder is needed` } }, 401);
    }
    return c.json(await checkLedger(ctx.db));
  });
  return { key };
}

/** Tells local tools how to reach this relay's admin route. */
export function writeAdminFile(dataDir: string, file: AdminFile): () => void {
  const path = join(dataDir, ADMIN_FILE);
  writeFileSync(path, JSON.stringify(file), { mode: 0o600 });
  return () => rmSync(path, { force: true });
}

/** The running relay's admin address and key, if a relay left them in this folder. */
export function readAdminFile(dataDir: string): AdminFile | undefined {
  try {
    const parsed = AdminFile.safeParse(JSON.parse(readFileSync(join(dataDir, ADMIN_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
