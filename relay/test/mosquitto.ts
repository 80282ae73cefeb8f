import { type ChildProcess, spawn } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO_BIN = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Private Mosquitto brokers for tests. The shared one on :1883 cannot give exact counts:
 * any other relay attached to it (a benchmark, another test file) subscribes
 * to agentpay/v1/devices/+/requests under its own share group, gets a copy of
 * every request, and answers our devices too (e.g. bad_signature for garbage).
 */

/** A Mosquitto 2 password_file line: PBKDF2-SHA512, 101 rounds, as `mosquitto_passwd` writes it. */
export function passwordLine(username: string, password: string): string {
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(password, salt, 101, 64, 'sha512');
  return `${username}:$7$101$${salt.toString('base64')}$${hash.toString('base64')}\n`;
}

/** The ACL of docs/mqtt.md. */
export const ACL = `# The relay reads every device's requests and writes every device's events.
user relay
topic readwrite agentpay/v1/#

# Every other user is a device whose user name is its device id.
pattern write agentpay/v1/devices/%u/requests
pattern read agentpay/v1/devices/%u/events
`;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Retries `attempt` until it succeeds (Mosquitto is starting, or reloading its password file). */
export async function eventually<T>(attempt: () => Promise<T>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

export interface PrivateMosquitto {
  url: string;
  /** Folder of its config, password and ACL files (removed by stop). */
  dir: string;
  /** SIGHUP: Mosquitto rereads its password and ACL files. */
  reload(): void;
  /** Stops the broker as a crash or a dead zone would, keeping its files, so that `restart` can bring it back. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same files (a broker restarted with no persistence). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts /usr/sbin/mosquitto on a free port with the given settings (plus a
 * listener, TCP_NODELAY and logging), and waits until `probe` can connect.
 */
export async function startMosquitto(options: {
  settings: (dir: string) => string[];
  files?: Record<string, string>;
  probe: (url: string) => Promise<{ endAsync(force?: boolean): Promise<void> }>;
}): Promise<PrivateMosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'agentpay-mosquitto-'));
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), text, { mode: 0o600 });
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `mqtt://127.0.0.1:${port}`;
    const config = join(dir, 'mosquitto.conf');
    writeFileSync(
      config,
      [
        ...options.settings(dir),
        `listener ${port} 127.0.0.1`,
        // Run as root, Mosquitto would switch to the user "mosquitto", who cannot read our 0600 files.
        `user ${userInfo().username}`,
        'set_tcp_nodelay true', // Mosquitto leaves Nagle's algorithm on: ~44 ms a round trip instead of ~1 ms
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        '',
      ].join('\n'),
    );
    let child = spawnMosquitto(config);
    try {
      await Promise.race([eventually(() => options.probe(url)).then((c) => c.endAsync(true)), child.exited]);
    } catch (error) {
      child.process.kill('SIGKILL');
      if (attempt < 3 && /Address already in use/.test(child.output())) continue; // lost a race for the port
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return {
      url,
      dir,
      reload: () => child.process.kill('SIGHUP'),
      async kill() {
        await terminate(child.process);
      },
      async restart() {
        await terminate(child.process);
        child = spawnMosquitto(config);
        await Promise.race([eventually(() => options.probe(url)).then((c) => c.endAsync(true)), child.exited]);
      },
      async stop() {
        await terminate(child.process);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

interface RunningMosquitto {
  process: ChildProcess;
  /** Rejects when the process exits or cannot start. */
  exited: Promise<never>;
  output(): string;
}

function spawnMosquitto(config: string): RunningMosquitto {
  const child = spawn(MOSQUITTO_BIN, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${MOSQUITTO_BIN} exited with ${code}: ${output}`)));
  });
  exited.catch(() => {});
  return { process: child, exited, output: () => output };
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await gone;
}
