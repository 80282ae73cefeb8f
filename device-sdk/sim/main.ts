/**
 * `npx device-sim` (or `npm run device-sim`): the device side of AgentPay,
 * against a relay started with `npm start`. A car passes a parking gate
 * (camera frames from a folder), its driver pays for charging by voice, and
 * an earphone wearer pays a tea house by voice, each step printed.
 *
 *   device-sim [cockpit|earphones] [--frames DIR] [--cockpit-transcript FILE] [--earphones-transcript FILE]
 *
 * Environment: RELAY_URL (default http://127.0.0.1:8787), DEVICE_MQTT_URL
 * (default mqtt://127.0.0.1:18830, the embedded broker), PAIRING_CODE (default:
 * read from the relay's data folder, DATA_DIR or .data).
 */
import { encodePaymentCode, formatMoney, randomString } from '@agentpay/protocol';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createFrameReader } from '../src/decoder/index.ts';
import { createNodeQrDecoder } from '../src/decoder/node.ts';
import { createDevice, type Device } from '../src/device/device.ts';
import type { PaymentResult } from '../src/payments/types.ts';
import { cockpit, earphones } from '../src/profiles/profiles.ts';
import { drawPassingFrames, readFrames } from './frames.ts';
import { setUpWorld, type SimWorld } from './world.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const log = (line: string) => console.log(line);
let stepNo = 0;
const step = (title: string) => log(`\n${++stepNo}. ${title}`);
/** How long a device may take to reach the broker before the simulator gives up and says why. */
const CONNECT_MS = 10_000;

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  stepNo = 0;
  const args = parseArgs(argv, env);
  const relayUrl = env.RELAY_URL ?? 'http://127.0.0.1:8787';
  const mqttUrl = env.DEVICE_MQTT_URL ?? 'mqtt://127.0.0.1:18830';
  const up = await fetch(new URL('/v1/health', relayUrl), { signal: AbortSignal.timeout(3000) }).then((r) => r.ok, () => false);
  if (!up) {
    console.error(`no relay at ${relayUrl}: start one with npm start (or set RELAY_URL)`);
    return 1;
  }
  // Your own frames are read before anything is set up at the relay, so a bad folder costs nothing.
  const frames = args.frames ? readFrames(args.frames) : undefined;
  log(`Device simulator: relay ${relayUrl}, devices over ${mqttUrl}`);
  step('A user sets up a wallet, two merchants and two devices');
  const world = await setUpWorld(relayUrl, env.PAIRING_CODE ?? readPairingCode(env), log);
  try {
    if (args.scenes.includes('cockpit')) await cockpitScene(world, mqttUrl, args, frames);
    if (args.scenes.includes('earphones')) await earphoneScene(world, mqttUrl, args.earphonesTranscript);
  } finally {
    await world.close();
  }
  log('\nDone: the wallet shows these payments under each device (GET /v1/wallet/records).');
  return 0;
}

async function cockpitScene(world: SimWorld, mqttUrl: string, args: Args, ownFrames?: ReturnType<typeof readFrames>): Promise<void> {
  const { parking } = world.merchants;
  const device = watch(createDevice({
    relay: { url: mqttUrl, identity: world.cockpit },
    profile: cockpit(),
    speak: (text) => log(`   car says  "${text}"`),
    codeReader: createFrameReader(await createNodeQrDecoder()),
    resolveSpokenPayment: (u) => {
      if (u.category !== 'ev_charging') return null;
      const reference = `charge-${randomString(6)}`;
      parking.bill(reference, { minor: 80_00, currency: 'CNY' });
      return { merchant: { id: parking.record.id, name: parking.record.name }, amount: { minor: 80_00, currency: 'CNY' }, category: 'ev_charging', reference, notify: { url: parking.notifyUrl, reference } };
    },
  }), world, 'car');
  await online(device, mqttUrl);

  step('The car passes the car park\'s exit gate; its camera sees the gate\'s QR code');
  let frames = ownFrames;
  if (!frames) {
    const dir = mkdtempSync(join(tmpdir(), 'agentpay-frames-'));
    const reference = `gate-${randomString(6)}`;
    const amount = { minor: 12_00, currency: 'CNY' };
    parking.bill(reference, amount);
    const code = await encodePaymentCode({
      v: 1, merchantId: parking.record.id, amount, lineItems: [{ name: 'Parking, 2 hours', quantity: 1, unitMinor: 12_00 }],
      category: 'parking', reference, description: 'Stadium Parking', notify: parking.notifyUrl, expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    }, parking.privateKey);
    drawPassingFrames(dir, code);
    log(`   frames    drawn into ${dir} (pass --frames DIR to play your own)`);
    frames = readFrames(dir);
    rmSync(dir, { recursive: true, force: true });
  }
  const settled = nextOutcome(device);
  for (const { name, frame } of frames) {
    const started = performance.now();
    const decision = await device.scanFrame(frame);
    log(`   frame     ${name}: ${decision.action === 'none' ? 'no payment yet' : `${decision.action} ${decision.text.slice(0, 40)}…`} (${(performance.now() - started).toFixed(1)} ms)`);
  }
  const outcome = await Promise.race([settled, new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000))]);
  if (!outcome) log('   gate      no payment result within 10 s of the last frame: was the code read in two frames?');

  step('At a charging bay, the driver asks by voice');
  await speakLines(device, args.cockpitTranscript, 'driver');
  await device.close();
}

async function earphoneScene(world: SimWorld, mqttUrl: string, transcript: string): Promise<void> {
  const { teaHouse } = world.merchants;
  const device = watch(createDevice({
    relay: { url: mqttUrl, identity: world.earphones },
    profile: earphones(),
    defaultCurrency: 'CNY',
    speak: (text) => log(`   earphones "${text}"`),
    resolveSpokenPayment: (u) => {
      if (!u.amount || !/tea|茶/i.test(u.payee ?? '')) return null;
      const reference = `tea-${randomString(6)}`;
      teaHouse.bill(reference, u.amount);
      return { merchant: { id: teaHouse.record.id, name: u.lang === 'zh' ? '街角茶馆' : teaHouse.record.name }, amount: u.amount, category: 'food', reference, notify: { url: teaHouse.notifyUrl, reference } };
    },
  }), world, 'earphones');
  await online(device, mqttUrl);
  step('An earphone wearer pays the tea house by voice (no screen at all)');
  await speakLines(device, transcript, 'wearer');
  await device.close();
}

/** Prints what the device does, and plays the user approving held payments on the phone. */
function watch(device: Device, world: SimWorld, who: string): Device {
  device.events.on('progress', (s) => log(`   progress  ${s.stage.padEnd(22)}${s.message ?? ''}`));
  device.events.on('payment', (r) => {
    log(`   payment   ${r.status}: ${formatMoney(r.amount)} to ${r.merchant.name}${r.intentId ? ` (${r.intentId})` : ''}${r.reason && r.status !== 'held' ? `: ${r.reason}` : ''}`);
    if (r.status === 'held' && r.code === 'pending_confirmation' && r.intentId) {
      log(`   wallet    the user approves ${who}'s payment on the phone`);
      setTimeout(() => void world.approve(r.intentId!).catch((e: Error) => log(`   wallet    could not approve: ${e.message}`)), 500);
    }
  });
  device.events.on('unpayable', (u) => log(`   code      cannot pay: ${u.reason}`));
  return device;
}

async function speakLines(device: Device, file: string, who: string): Promise<void> {
  for (const line of readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    log(`   ${who.padEnd(9)} "${line}"`);
    await device.hear(line);
  }
}

/** Waits until the device is connected, or fails naming the broker and why it could not be reached. */
async function online(device: Device, mqttUrl: string): Promise<void> {
  if (device.connection.state === 'online') return;
  let last: Error | undefined;
  const stop = new AbortController();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the device could not reach the broker at ${mqttUrl} within ${CONNECT_MS / 1000} s${last ? `: ${last.message}` : ''} (set DEVICE_MQTT_URL to the mqtt line npm start printed)`)), CONNECT_MS);
      device.events.on('connection', (e) => {
        last = e.error ?? last;
        if (e.state !== 'online') return;
        clearTimeout(timer);
        resolve();
      }, { signal: stop.signal });
    });
  } catch (error) {
    await device.close();
    throw error;
  } finally {
    stop.abort();
  }
  log(`   relay     ${device.connection.deviceId} connected over MQTT`);
}

function nextOutcome(device: Device): Promise<PaymentResult> {
  return new Promise((resolve) => {
    const off = device.events.on('payment', (r) => {
      if (r.status !== 'held') {
        off();
        setTimeout(() => resolve(r)); // after the device has said the outcome
      }
    });
  });
}

interface Args {
  scenes: string[];
  frames?: string;
  cockpitTranscript: string;
  earphonesTranscript: string;
}

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Args {
  const args: Args = { scenes: [], cockpitTranscript: join(HERE, 'transcripts/cockpit.txt'), earphonesTranscript: join(HERE, 'transcripts/earphones.txt') };
  const cwd = env.INIT_CWD ?? process.cwd();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (!v) throw new Error(`${arg} needs a value`);
      return resolve(cwd, v);
    };
    if (arg === '--frames') args.frames = value();
    else if (arg === '--cockpit-transcript') args.cockpitTranscript = value();
    else if (arg === '--earphones-transcript') args.earphonesTranscript = value();
    else if (arg === 'cockpit' || arg === 'earphones') args.scenes.push(arg);
    else throw new Error(`unknown argument ${arg}: device-sim [cockpit|earphones] [--frames DIR] [--cockpit-transcript FILE] [--earphones-transcript FILE]`);
  }
  if (args.scenes.length === 0) args.scenes = ['cockpit', 'earphones'];
  return args;
}

function readPairingCode(env: NodeJS.ProcessEnv): string {
  const dir = env.DATA_DIR ? resolve(env.INIT_CWD ?? process.cwd(), env.DATA_DIR) : fileURLToPath(new URL('../../.data', import.meta.url));
  try {
    return readFileSync(join(dir, 'pairing-code'), 'utf8').trim();
  } catch {
    throw new Error(`no pairing code in ${dir}: set PAIRING_CODE to the code npm start printed`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), process.env).then((code) => process.exit(code), (error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
