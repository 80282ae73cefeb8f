import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, Hono } from 'hono';
import { isIPv4 } from 'node:net';
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
    // For tools on this machine only: a relay listening on 0.0.0.0 (for phones or cars) does not offer it
    // to the network, where its key would be the only guard. Answered as any unknown path is.
    if (!fromThisMachine(c)) return c.json({ error: { code: 'not_found', message: `no route GET ${LEDGER_CHECK_PATH}` } }, 404);
    const given = Buffer.from(c.req.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return c.json({ error: { code: 'unauthenticated', message: `the admin key in ${ADMIN_FILE} of the relay's data folder is needed` } }, 401);
    }
    return c.json(await checkLedger(ctx.db));
  });
  return { key };
}

/**
 * Whether the request came from this machine: over loopback (127.0.0.0/8, ::1, 127.x mapped into IPv6),
 * or to a non-loopback address of this machine from that same address (a relay bound to one interface).
 */
function fromThisMachine(c: Context): boolean {
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string; localAddress?: string } } } | undefined)?.incoming?.socket;
  const remote = socket?.remoteAddress;
  if (!remote) return false;
  const v4 = remote.startsWith('::ffff:') ? remote.slice(7) : remote;
  return remote === '::1' || (isIPv4(v4) && v4.startsWith('127.')) || remote === socket.localAddress;
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
