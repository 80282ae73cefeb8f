import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RELAY_BIN = fileURLToPath(new URL('../../relay/bin/relay.js', import.meta.url));

/** How long a relay may take from its start to answering /v1/health before it counts as not come back. */
const COME_BACK_MS = 90_000;

/** One start of the relay process and how it went. */
export interface RelayStart {
  /** Milliseconds from spawning the process to its first healthy /v1/health, or null if it never answered. */
  healthyAfterMs: number | null;
  /** Why it did not come back (its exit and the end of its stderr). */
  failure?: string;
}

/**
 * The relay as an operator runs it: `relay start` in its own process, configured
 * by environment, on fixed ports so that clients find it again after a restart.
 * It can be SIGKILLed at any moment (a crash, an OOM kill, a pulled plug) and
 * started again on the same data folder or database.
 */
export class RelayProcess {
  readonly starts: RelayStart[] = [];
  #child: ChildProcess | undefined;
  #stderr = '';
  #exited: Promise<void> = Promise.resolve();

  constructor(
    /** A name for reports, e.g. `pglite` or `postgres relay B`. */
    readonly name: string,
    readonly httpUrl: string,
    /** Its configuration, as environment variables (kept across restarts). */
    readonly env: Record<string, string>,
    /**
     * Start each time in a fresh PID namespace (`unshare --pid`, needs root), where
     * the relay is PID 1 as in a fresh container, so a restart sees a pid file
     * naming the pid it has itself.
     */
    private readonly asPid1 = false,
  ) {}

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Spawns the relay; resolves once it is spawned, not yet serving (see `healthy`). */
  spawn(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.#stderr = '';
    const command = [process.execPath, RELAY_BIN, 'start'];
    // --kill-child: SIGKILL to unshare reaches the relay too (the kernel's parent-death signal).
    if (this.asPid1) command.unshift('unshare', '--pid', '--fork', '--kill-child=SIGKILL', '--mount-proc');
    const child = spawn(command[0]!, command.slice(1), {
      env: { ...process.env, LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.#child = child;
  }

  /**
   * Waits until /v1/health answers ok (the relay came back), or the process
   * exits, or COME_BACK_MS pass; records the start either way.
   */
  async healthy(spawnedAt: number): Promise<RelayStart> {
    const deadline = spawnedAt + COME_BACK_MS;
    let exited = false;
    void this.#exited.then(() => (exited = true));
    for (;;) {
      if (await isHealthy(this.httpUrl)) return this.#record({ healthyAfterMs: Date.now() - spawnedAt });
      if (exited) return this.#record({ healthyAfterMs: null, failure: `exited (${this.#child?.exitCode ?? this.#child?.signalCode}) before serving: ${this.#stderr.trim()}` });
      if (Date.now() > deadline) return this.#record({ healthyAfterMs: null, failure: `not healthy within ${COME_BACK_MS} ms: ${this.#stderr.trim()}` });
      await sleep(100);
    }
  }

  /** Spawns the relay and waits for it to serve; throws if it does not come back. */
  async start(): Promise<RelayStart> {
    const spawnedAt = Date.now();
    this.spawn();
    const start = await this.healthy(spawnedAt);
    if (start.healthyAfterMs === null) throw new Error(`${this.name} did not come back: ${start.failure}`);
    return start;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed, the pid file stays behind. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.#child!.kill('SIGKILL');
    await this.#exited;
    // In its own namespace the relay dies a moment after unshare: not back until it has gone.
    while (this.asPid1 && (await isHealthy(this.httpUrl))) await sleep(20);
  }

  /** SIGTERM: the relay closes its store and broker as on Ctrl+C. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.#child!.kill('SIGTERM');
    await this.#exited;
  }

  #record(start: RelayStart): RelayStart {
    this.starts.push(start);
    return start;
  }
}

export async function isHealthy(httpUrl: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('/v1/health', httpUrl), { signal: AbortSignal.timeout(2000) });
    return response.ok && ((await response.json()) as { ok?: unknown }).ok === true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
