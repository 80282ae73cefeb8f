import { type ChildProcess, spawn } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';

export const MOSQUITTO_BIN = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Private Mosquitto brokers for tests. The shared one on :1883 cannot give exact counts:
 * any other relay attached to it (a benchmark, another test file) subscribes
 * to agentpay/v1/devices/+/requests under its own share group, gets a copy of
 * every request, and answers our devices too (e.g. bad_signature for garbage).
 */

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

/** A private Mosquitto set up exactly as docs/mqtt.md tells an operator to. */
export interface DocumentedMosquitto {
  mosquitto: PrivateMosquitto;
  /** The relay's own login (MQTT_USERNAME, MQTT_PASSWORD). */
  relay: { username: string; password: string };
  /** Gives a registered device its broker login, as the operator does when the wallet registers it; returns its password. */
  provisionDevice(deviceId: string): Promise<string>;
  stop(): Promise<void>;
}

/** Mosquitto's dynamic security plugin, as Debian's mosquitto package installs it. */
export function dynsecPlugin(): string {
  if (process.env.MOSQUITTO_DYNSEC) return process.env.MOSQUITTO_DYNSEC;
  for (const dir of readdirSync('/usr/lib', { withFileTypes: true })) {
    const candidate = join('/usr/lib', dir.name, 'mosquitto_dynamic_security.so');
    if (dir.isDirectory() && existsSync(candidate)) return candidate;
  }
  throw new Error('mosquitto_dynamic_security.so not found under /usr/lib/*/ (set MOSQUITTO_DYNSEC)');
}

/** A dynamic-security.json client entry with its password hashed as the plugin does (PBKDF2-SHA512). */
function dynsecClient(username: string, password: string, roles: string[]) {
  const salt = randomBytes(12);
  return {
    username,
    password: pbkdf2Sync(password, salt, 101, 64, 'sha512').toString('base64'),
    salt: salt.toString('base64'),
    iterations: 101,
    roles: roles.map((rolename) => ({ rolename })),
  };
}

/** The role docs/mqtt.md gives each device: publish its own requests, subscribe to and receive its own events, nothing else. */
export function deviceRoleAcls(deviceId: string) {
  return [
    { acltype: 'publishClientSend', topic: `agentpay/v1/devices/${deviceId}/requests`, allow: true },
    { acltype: 'subscribeLiteral', topic: `agentpay/v1/devices/${deviceId}/events`, allow: true },
    { acltype: 'publishClientReceive', topic: `agentpay/v1/devices/${deviceId}/events`, allow: true },
  ];
}

/**
 * The documented setup: the dynamic security plugin with everything denied by default, a `relay`
 * role, and one role per device. Devices are provisioned as an operator's `mosquitto_ctrl dynsec`
 * commands do it, through the plugin's $CONTROL topic as the `admin` client.
 */
export async function startDocumentedMosquitto(
  probe: (url: string, username: string, password: string) => Promise<{ endAsync(force?: boolean): Promise<void> }>,
  options: { shareGroup?: string } = {},
): Promise<DocumentedMosquitto> {
  const group = options.shareGroup ?? 'agentpay-relay';
  const relay = { username: 'relay', password: randomBytes(18).toString('base64url') };
  const admin = { username: 'admin', password: randomBytes(18).toString('base64url') };
  const config = {
    defaultACLAccess: { publishClientSend: false, publishClientReceive: false, subscribe: false, unsubscribe: true },
    clients: [dynsecClient(admin.username, admin.password, ['admin']), dynsecClient(relay.username, relay.password, ['relay'])],
    groups: [],
    roles: [
      {
        rolename: 'admin',
        acls: [
          { acltype: 'publishClientSend', topic: '$CONTROL/dynamic-security/#', allow: true },
          { acltype: 'publishClientReceive', topic: '$CONTROL/dynamic-security/#', allow: true },
          { acltype: 'subscribePattern', topic: '$CONTROL/dynamic-security/#', allow: true },
        ],
      },
      { rolename: 'relay', acls: relayRoleAcls(group) },
    ],
  };
  const mosquitto = await startMosquitto({
    files: { 'dynamic-security.json': JSON.stringify(config, null, 2) },
    settings: (dir) => ['per_listener_settings false', 'allow_anonymous false', `plugin ${dynsecPlugin()}`, `plugin_opt_config_file ${join(dir, 'dynamic-security.json')}`],
    probe: (url) => probe(url, relay.username, relay.password),
  });
  // It reconnects (and resubscribes) by itself after a test kills and restarts the broker.
  const control = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 5, ...admin, reconnectPeriod: 100, connectTimeout: 2000 });
  control.on('error', () => {});
  await control.subscribeAsync('$CONTROL/dynamic-security/v1/response', { qos: 1 });
  const pending = new Map<string, (response: { error?: string }[]) => void>();
  control.on('message', (_topic, payload) => {
    const responses = (JSON.parse(payload.toString()) as { responses: { correlationData?: string; error?: string }[] }).responses;
    const id = responses[0]?.correlationData;
    if (id) pending.get(id)?.(responses);
  });
  const run = async (commands: Record<string, unknown>[]) => {
    const id = randomBytes(8).toString('hex');
    const answered = new Promise<{ error?: string }[]>((resolve) => pending.set(id, resolve));
    await control.publishAsync('$CONTROL/dynamic-security/v1', JSON.stringify({ commands: commands.map((c) => ({ ...c, correlationData: id })) }), { qos: 1 });
    const responses = await answered;
    pending.delete(id);
    const failed = responses.filter((r) => r.error);
    if (failed.length) throw new Error(`dynsec: ${JSON.stringify(failed)}`);
  };
  return {
    mosquitto,
    relay,
    async provisionDevice(deviceId) {
      const password = randomBytes(18).toString('base64url');
      await run([
        { command: 'createRole', rolename: deviceId, acls: deviceRoleAcls(deviceId) },
        { command: 'createClient', username: deviceId, password, roles: [{ rolename: deviceId }] },
      ]);
      return password;
    },
    async stop() {
      await control.endAsync(true);
      await mosquitto.stop();
    },
  };
}

/** The relay's role: its shared subscription to every device's requests, and every device's events to publish. */
export function relayRoleAcls(group: string) {
  return [
    { acltype: 'subscribeLiteral', topic: `$share/${group}/agentpay/v1/devices/+/requests`, allow: true },
    { acltype: 'publishClientReceive', topic: 'agentpay/v1/devices/+/requests', allow: true },
    { acltype: 'publishClientSend', topic: 'agentpay/v1/devices/+/events', allow: true },
  ];
}
