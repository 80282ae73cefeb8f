/**
 * Following a simulated device: its events printed as they happen, the user
 * approving held payments on the phone, transcripts played line by line.
 */
import { formatMoney } from '@agentpay/protocol';
import { readFileSync } from 'node:fs';
import type { Device } from '../src/device/device.ts';
import type { PaymentResult } from '../src/payments/types.ts';
import type { Printer } from './printer.ts';
import type { SimWorld } from './world.ts';

/** How long a device may take to reach the broker before the simulator gives up and says why. */
const CONNECT_MS = 10_000;

/** Prints what the device does, and plays the user approving held payments on the phone. */
export function watch(device: Device, world: SimWorld, who: string, { log }: Printer): Device {
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

export async function speakLines(device: Device, file: string, who: string, { log }: Printer): Promise<void> {
  for (const line of readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    log(`   ${who.padEnd(9)} "${line}"`);
    await device.hear(line);
  }
}

/** Waits until the device is connected, or fails naming the broker and why it could not be reached. */
export async function online(device: Device, mqttUrl: string, { log }: Printer): Promise<void> {
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

export function nextOutcome(device: Device): Promise<PaymentResult> {
  return new Promise((resolve) => {
    const off = device.events.on('payment', (r) => {
      if (r.status !== 'held') {
        off();
        setTimeout(() => resolve(r)); // after the device has said the outcome
      }
    });
  });
}
