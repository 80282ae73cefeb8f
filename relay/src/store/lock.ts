import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, readlinkSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';

/**
 * Who holds a data folder. A pid alone cannot tell a live relay from a dead
 * one in containers: a relay restarted as PID 1 in a fresh container finds
 * its predecessor's file saying "pid 1", which is now itself; a relay in
 * another container's pid namespace has a pid that means nothing here. So
 * the file also says where the pid is meaningful (`machine`: the kernel's
 * boot id and the pid namespace) and which process it was (`started`: its
 * start time in clock ticks since boot), and the holder touches the file
 * every few seconds, for those who cannot see its process at all.
 */
const Holder = z.object({
  pid: z.number().int().positive(),
  /** Start time of the process (field 22 of /proc/<pid>/stat); null where there is no /proc. */
  started: z.string().nullable(),
  /** `<boot id>/<pid namespace>`: where `pid` and `started` identify one process; null where unknown. */
  machine: z.string().nullable(),
  /** For people reading the message. */
  host: z.string(),
  /** This lock, so that a holder never removes or touches a file that is no longer its own. */
  instance: z.string(),
});
type Holder = z.infer<typeof Holder>;

export interface LockOptions {
  /** How often the holder touches the file (default 2 s). */
  heartbeatMs?: number;
  /**
   * A holder this program cannot see (another container, another host) is
   * judged dead when its file goes untouched this long (default 3 heartbeats).
   */
  staleMs?: number;
}

/** Folders locked by this process, so that a second relay in the same process is refused too. */
const lockedHere = new Set<string>();

/**
 * PGlite is one process's database: a second relay opening the same folder
 * would corrupt it. Takes the folder for this process, taking over a lock
 * whose holder is dead, and refusing one whose holder is alive. Waits up
 * to `staleMs` when the holder cannot be seen from here. Returns the unlock.
 */
export async function lockDataDir(dir: string, options: LockOptions = {}): Promise<() => void> {
  const heartbeatMs = options.heartbeatMs ?? 2_000;
  const staleMs = options.staleMs ?? 3 * heartbeatMs;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'relay.pid');
  if (lockedHere.has(path)) throw refusal(dir, process.pid, 'this process');
  const me: Holder = { pid: process.pid, started: startOf(process.pid), machine: machine(), host: hostname(), instance: randomUUID() };

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(me), { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const found = readHolder(path);
      if (found && (await isAlive(path, found, me, staleMs))) {
        throw found.kind === 'legacy' ? refusal(dir, found.pid) : refusal(dir, found.holder.pid, `host ${found.holder.host}`);
      }
      // Remove only what was judged: a relay that took the folder meanwhile keeps it.
      if (sameFile(readHolder(path), found)) rmSync(path, { force: true });
      continue;
    }
    lockedHere.add(path);
    const ours = () => {
      const now = readHolder(path);
      return now?.kind === 'holder' && now.holder.instance === me.instance;
    };
    const heartbeat = setInterval(() => {
      try {
        if (ours()) utimesSync(path, new Date(), new Date());
      } catch {
        // The folder went away: nothing left to keep.
      }
    }, heartbeatMs);
    heartbeat.unref();
    return () => {
      clearInterval(heartbeat);
      lockedHere.delete(path);
      if (ours()) rmSync(path, { force: true });
    };
  }
  throw new Error(`cannot lock the data folder ${dir}`);
}

type Found = { kind: 'holder'; holder: Holder } | { kind: 'legacy'; pid: number };

/** The lock file's holder; a bare pid is the format of earlier versions. Undefined when gone or unreadable. */
function readHolder(path: string): Found | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  if (/^\s*\d+\s*$/.test(text)) return { kind: 'legacy', pid: Number(text) };
  try {
    const parsed = Holder.safeParse(JSON.parse(text));
    return parsed.success ? { kind: 'holder', holder: parsed.data } : undefined;
  } catch {
    return undefined;
  }
}

function sameFile(a: Found | undefined, b: Found | undefined): boolean {
  if (a?.kind === 'legacy' && b?.kind === 'legacy') return a.pid === b.pid;
  if (a?.kind === 'holder' && b?.kind === 'holder') return a.holder.instance === b.holder.instance;
  return false;
}

async function isAlive(path: string, found: Found, me: Holder, staleMs: number): Promise<boolean> {
  if (found.kind === 'legacy') {
    // Written by an earlier version, which knew only the pid: our own pid is not alive elsewhere.
    return found.pid !== process.pid && pidExists(found.pid);
  }
  const { holder } = found;
  if (holder.machine !== null && holder.machine === me.machine && holder.started !== null) {
    // Same kernel boot and pid namespace: the pid and its start time name exactly one process.
    return startOf(holder.pid) === holder.started;
  }
  if (holder.machine === null && me.machine === null && holder.host === me.host) {
    // No /proc (e.g. macOS): the pid is all there is; our own pid cannot be another live relay.
    return holder.pid !== process.pid && pidExists(holder.pid);
  }
  // Another container, host or boot: the process cannot be seen from here, only its heartbeat.
  return isTouchedWithin(path, holder.instance, staleMs);
}

/**
 * Watches the file for `staleMs`: a live holder touches it meanwhile. A file untouched for
 * a minute by our clock is dead at once (the margin covers clocks of different hosts).
 */
async function isTouchedWithin(path: string, instance: string, staleMs: number): Promise<boolean> {
  const first = mtimeOf(path);
  if (first === undefined) return false;
  if (Date.now() - first > Math.max(60_000, 10 * staleMs)) return false;
  const until = Date.now() + staleMs;
  while (Date.now() < until) {
    await new Promise((ok) => setTimeout(ok, Math.min(250, staleMs)));
    const now = readHolder(path);
    if (now?.kind !== 'holder' || now.holder.instance !== instance) return now !== undefined;
    if (mtimeOf(path) !== first) return true;
  }
  return false;
}

function mtimeOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function refusal(dir: string, pid: number, where?: string): Error {
  return new Error(`another relay (pid ${pid}) is using the data folder ${dir}${where ? ` (${where})` : ''}; stop it or set DATA_DIR`);
}

/** The process's start time in clock ticks since boot, from /proc; null where there is none. */
function startOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 overall
  } catch {
    return null;
  }
}

/** This kernel boot and pid namespace, where pids and start times mean the same; null without /proc. */
function machine(): string | null {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${boot}/${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return null;
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
