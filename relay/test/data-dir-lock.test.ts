import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRelay } from '../src/relay.ts';
import { lockDataDir } from '../src/store/lock.ts';
import { testConfig } from './harness.ts';

/**
 * One relay per data folder, and a dead relay's lock never keeps the next
 * one out: not when the next one has the dead one's pid (PID 1 again in a
 * fresh container), nor when the dead one ran in another pid namespace.
 */

const HOLDER = fileURLToPath(new URL('./hold-data-dir.ts', import.meta.url));
const HEARTBEAT_MS = 100;

let dir: string;
let lockFile: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relay-lock-'));
  lockFile = join(dir, 'relay.pid');
});
afterEach(async () => {
  for (const child of children.splice(0)) await kill(child);
  rmSync(dir, { recursive: true, force: true });
});

/** Another relay process holding `dir`, as a live relay would. */
async function holder(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, dir, String(HEARTBEAT_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((ok, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && ok());
    child.once('exit', (code) => fail(new Error(`the lock holder exited with ${code}`)));
  });
  return child;
}

/** SIGKILL: the relay gets no chance to remove its lock file. */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGKILL');
  await exited;
}

/** Rewrites fields of the lock file, as another process or container would have written it. */
function rewriteLock(fields: Record<string, unknown>): void {
  writeFileSync(lockFile, JSON.stringify({ ...JSON.parse(readFileSync(lockFile, 'utf8')), ...fields }));
}

describe('the data folder lock', () => {
  it('lets a relay start on a lock file naming its own pid, as a relay restarted as PID 1 in a fresh container finds it', async () => {
    // What the relay before the restart left: its pid, which is now ours.
    writeFileSync(lockFile, String(process.pid));
    const relay = await startRelay({ ...testConfig('pglite'), inMemory: false, dataDir: dir });
    await relay.close();
  });

  it('takes over the lock of a dead relay whose pid now belongs to another process: ours, or pid 1', async () => {
    for (const pid of [process.pid, 1]) {
      await kill(await holder());
      rewriteLock({ pid });
      const unlock = await lockDataDir(dir, { heartbeatMs: HEARTBEAT_MS });
      expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
      unlock();
    }
  });

  it("takes over the lock of a dead relay from another container's pid namespace once it is no longer touched", async () => {
    await kill(await holder());
    rewriteLock({ pid: 1, machine: 'another-boot/pid:[4026532999]' });
    const unlock = await lockDataDir(dir, { heartbeatMs: HEARTBEAT_MS });
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    unlock();
  });

  it('refuses while the holder lives: in this pid namespace, in another one, and in this same process', async () => {
    const live = await holder();
    const refused = new RegExp(`another relay \\(pid ${live.pid}\\) is using the data folder`);
    await expect(lockDataDir(dir, { heartbeatMs: HEARTBEAT_MS })).rejects.toThrow(refused);
    // Seen from another container, the pid means nothing; the holder still touches its file.
    rewriteLock({ machine: 'another-boot/pid:[4026532999]' });
    await expect(lockDataDir(dir, { heartbeatMs: HEARTBEAT_MS })).rejects.toThrow(refused);

    await kill(live);
    const unlock = await lockDataDir(dir, { heartbeatMs: HEARTBEAT_MS });
    await expect(lockDataDir(dir, { heartbeatMs: HEARTBEAT_MS })).rejects.toThrow(/another relay \(pid \d+\) is using the data folder/);
    unlock();
    // Unlocked: the folder is free again, and the file is gone.
    (await lockDataDir(dir))();
    expect(() => readFileSync(lockFile)).toThrow();
  });
});
