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
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readFrames } from './frames.ts';
import { createPrinter } from './printer.ts';
import { cockpitScene, earphoneScene } from './scenes.ts';
import { setUpWorld } from './world.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** What `device-sim --help` prints. */
export const HELP = `device-sim: devices paying through an AgentPay relay over MQTT, each step printed

Usage:
  npm run device-sim -- [cockpit] [earphones] [options]
  device-sim [cockpit] [earphones] [options]

Scenes (default: both):
  cockpit                        a car passes a parking gate (camera frames), its driver pays for charging by voice
  earphones                      an earphone wearer pays a tea house by voice

Options:
  --frames DIR                   a folder of .png camera frames for the parking gate (default: frames the simulator draws)
  --cockpit-transcript FILE      what the driver says, a line each (# starts a comment) (default: sim/transcripts/cockpit.txt)
  --earphones-transcript FILE    what the wearer says, a line each (# starts a comment) (default: sim/transcripts/earphones.txt)
  -h, --help                     this help

Environment:
  RELAY_URL                      the relay (default: http://127.0.0.1:8787, as npm start runs it)
  DEVICE_MQTT_URL                where devices connect (default: mqtt://127.0.0.1:18830, the embedded broker)
  PAIRING_CODE                   the relay's pairing code (default: read from DATA_DIR, or .data at the repository root)
  DATA_DIR                       the relay's data folder, when npm start was given one

Start the relay first with npm start, in another terminal.
`;

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  const args = parseArgs(argv, env);
  const printer = createPrinter();
  const { log, step } = printer;
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
    if (args.scenes.includes('cockpit')) await cockpitScene(world, mqttUrl, args.cockpitTranscript, frames, printer);
    if (args.scenes.includes('earphones')) await earphoneScene(world, mqttUrl, args.earphonesTranscript, printer);
  } finally {
    await world.close();
  }
  log('\nDone: the wallet shows these payments under each device (GET /v1/wallet/records).');
  return 0;
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
    else throw new Error(`unknown argument ${arg}: device-sim [cockpit|earphones] [--frames DIR] [--cockpit-transcript FILE] [--earphones-transcript FILE]; device-sim --help says more`);
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
