/**
 * The simulator's scenes: a car passing a gate and paying for charging by
 * voice, and an earphone wearer paying a tea house.
 */
import { encodePaymentCode, randomString } from '@agentpay/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFrameReader } from '../src/decoder/index.ts';
import { createNodeQrDecoder } from '../src/decoder/node.ts';
import { createDevice } from '../src/device/device.ts';
import { cockpit, earphones } from '../src/profiles/profiles.ts';
import { drawPassingFrames, readFrames } from './frames.ts';
import type { Printer } from './printer.ts';
import { nextOutcome, online, speakLines, watch } from './watch.ts';
import type { SimWorld } from './world.ts';

export async function cockpitScene(world: SimWorld, mqttUrl: string, transcript: string, ownFrames: ReturnType<typeof readFrames> | undefined, printer: Printer): Promise<void> {
  const { log, step } = printer;
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
  }), world, 'car', printer);
  await online(device, mqttUrl, printer);

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
  await speakLines(device, transcript, 'driver', printer);
  await device.close();
}

export async function earphoneScene(world: SimWorld, mqttUrl: string, transcript: string, printer: Printer): Promise<void> {
  const { log, step } = printer;
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
  }), world, 'earphones', printer);
  await online(device, mqttUrl, printer);
  step('An earphone wearer pays the tea house by voice (no screen at all)');
  await speakLines(device, transcript, 'wearer', printer);
  await device.close();
}
