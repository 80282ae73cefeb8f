import { encodePaymentCode, generateSigningKey, randomString } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { answer } from '../../relay/test/harness.ts';
import { createFrameReader } from '../src/decoder/index.ts';
import { createNodeQrDecoder } from '../src/decoder/node.ts';
import type { Frame } from '../src/decoder/frame.ts';
import { paintQr, sceneFrame } from '../src/decoder/testing/synthetic.ts';
import { createDevice, type Device } from '../src/device/device.ts';
import type { PaymentResult } from '../src/payments/types.ts';
import { cockpit } from '../src/profiles/profiles.ts';
import { useDeviceSystem } from './hooks.ts';
import { BROKERS, type DeviceSystem, parkingRules, sleep, until } from './system.ts';


/** A car's camera passing a gate: street, the code coming closer over `withCode` frames, street again. */
function passingFrames(code: string, withCode = 6): Frame[] {
  const frames: Frame[] = [];
  for (let i = 0; i < withCode + 6; i++) {
    const frame = sceneFrame(1280, 720, 'rgba', 7 + i);
    const k = i - 3;
    if (k >= 0 && k < withCode) paintQr(frame, code, { x: 320 + k * 60, y: 140 + k * 4, module: 3 + Math.floor(k / 2) });
    frames.push(frame);
  }
  return frames;
}

describe.each(BROKERS)('a passing scan over the %s broker', (broker) => {
  let system!: DeviceSystem;
  const closeAfterTest = useDeviceSystem(broker, (started) => (system = started));

  /** The gate's signed code for one parking session (or a forgery, signed with another key or naming another notify URL). */
  async function gateCode(minor: number, forged: { key?: CryptoKey; notify?: string; merchantId?: string } = {}): Promise<{ code: string; reference: string }> {
    const reference = `gate-${randomString(8)}`;
    system.gate.expect(reference, { minor, currency: 'CNY' });
    const code = await encodePaymentCode({
      v: 1, merchantId: forged.merchantId ?? system.merchant.record.id, amount: { minor, currency: 'CNY' },
      lineItems: [{ name: 'Parking', quantity: 1, unitMinor: minor }], category: 'parking', reference,
      description: 'Exit 3', notify: forged.notify ?? system.gate.notifyUrl, expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    }, forged.key ?? system.merchant.signer.privateKey);
    return { code, reference };
  }

  async function car() {
    const registered = await system.addDevice('cockpit', parkingRules(system.merchant.record.id));
    const said: string[] = [];
    const results: PaymentResult[] = [];
    const unpayable: string[] = [];
    const device = createDevice({
      relay: registered.connection,
      profile: cockpit(),
      codeReader: createFrameReader(await createNodeQrDecoder()),
      speak: (text) => void said.push(text),
    });
    device.events.on('payment', (r) => results.push(r));
    device.events.on('unpayable', (u) => unpayable.push(u.code));
    closeAfterTest(device);
    return { device, registered, said, results, unpayable };
  }

  it('pays a gate seen in many frames exactly once', async () => {
    const { device, registered, results } = await car();
    const { code, reference } = await gateCode(12_00);
    const decisions = [];
    for (const frame of passingFrames(code)) decisions.push((await device.scanFrame(frame)).action);
    // Nothing in the street frames; the first sighting alone does not pay; then one payment, and the rest is "seen".
    expect(decisions.slice(0, 4)).toEqual(['none', 'none', 'none', 'none']);
    expect(decisions.filter((d) => d === 'pay')).toHaveLength(1);
    await until(() => results.some((r) => r.status !== 'held'));
    expect(results).toEqual([expect.objectContaining({ status: 'paid', amount: { minor: 12_00, currency: 'CNY' }, merchant: expect.objectContaining({ id: system.merchant.record.id }) })]);
    await sleep(200);
    expect(system.gate.charges.filter((c) => c.reference === reference)).toHaveLength(1);
    expect(await system.count('SELECT count(*) AS n FROM intents WHERE actor_id = $1', [registered.actor.id])).toBe(1);
  });

  it('reads frames handed over all at once in their order, and still pays once', async () => {
    const { device, registered, results } = await car();
    const { code, reference } = await gateCode(9_00);
    const decisions = await Promise.all(passingFrames(code).map((frame) => device.scanFrame(frame)));
    expect(decisions.map((d) => d.action)).toEqual(['none', 'none', 'none', 'none', 'pay', 'seen', 'seen', 'seen', 'seen', 'none', 'none', 'none']);
    await until(() => results.some((r) => r.status !== 'held'));
    expect(system.gate.charges.filter((c) => c.reference === reference)).toHaveLength(1);
    expect(await system.count('SELECT count(*) AS n FROM intents WHERE actor_id = $1', [registered.actor.id])).toBe(1);
  });

  it('never pays a code read in one frame only', async () => {
    const { device, registered } = await car();
    const { code } = await gateCode(5_00);
    const frames = passingFrames(code, 1);
    for (const frame of frames) expect((await device.scanFrame(frame)).action).toBe('none');
    await sleep(200);
    expect(await system.count('SELECT count(*) AS n FROM intents WHERE actor_id = $1', [registered.actor.id])).toBe(0);
  });

  it('asks the driver before paying a gate above its rule, and the wallet after that', async () => {
    const { device, said, results } = await car();
    const { code, reference } = await gateCode(80_00);
    for (const frame of passingFrames(code)) await device.scanFrame(frame);
    await until(() => results.length > 0);
    expect(results[0]).toMatchObject({ status: 'held', code: 'awaiting_confirmation', intentId: null });
    expect(said.at(-1)).toMatch(/About to pay 80\.00 yuan to Stadium Parking for parking\. Say confirm or cancel/);
    const paying = device.hear('确认');
    await until(() => results.some((r) => r.code === 'pending_confirmation'));
    const held = results.find((r) => r.code === 'pending_confirmation')!;
    const intent = await system.wallet.client.get<Parameters<typeof answer>[1]>(`/v1/intents/${held.intentId}`);
    await answer(system.wallet, intent, 'approve');
    expect(await paying).toMatchObject({ status: 'paid', intentId: held.intentId });
    expect(system.gate.charges.filter((c) => c.reference === reference)).toHaveLength(1);
    const [row] = await system.relay.ctx.db.query<{ evidence: Record<string, string> }>('SELECT evidence FROM intents WHERE id = $1', [held.intentId]);
    expect(row!.evidence).toMatchObject({ 'scan.code': code, 'voice.confirmation': '确认', 'voice.readBack': expect.stringMatching(/^About to pay 80\.00 yuan/) });
  });

  it.each([
    ['signed with another key', async () => ({ key: (await generateSigningKey()).privateKey }), 'bad_signature', /not signed by Stadium Parking/],
    ["sending the token to a server the merchant does not own", async () => ({ notify: 'http://127.0.0.1:9/collect' }), 'wrong_merchant', /somewhere Stadium Parking does not own/],
    ['naming a merchant the relay does not know', async () => ({ merchantId: 'mer_nosuchmerchant00', key: (await generateSigningKey()).privateKey }), 'unknown_merchant', /merchant AgentPay does not know/],
  ])('refuses a code %s, and pays nothing', async (_name, forgery, problem, spoken) => {
    const { device, registered, said, unpayable } = await car();
    const { code } = await gateCode(12_00, await forgery());
    for (const frame of passingFrames(code)) await device.scanFrame(frame);
    await until(() => unpayable.length > 0);
    expect(unpayable).toEqual([problem]);
    expect(said.at(-1)).toMatch(spoken);
    expect(await system.count('SELECT count(*) AS n FROM intents WHERE actor_id = $1', [registered.actor.id])).toBe(0);
  });

  it("says why another wallet's code cannot be paid, and sends nothing", async () => {
    const { device, registered, said, unpayable } = await car();
    for (const frame of passingFrames('https://qr.alipay.com/fkx12345abcde')) await device.scanFrame(frame);
    expect(unpayable).toEqual(['other_wallet']);
    expect(said).toEqual(['This is an Alipay code; pay it with the Alipay app.']);
    expect(await system.count('SELECT count(*) AS n FROM intents WHERE actor_id = $1', [registered.actor.id])).toBe(0);
  });
});
