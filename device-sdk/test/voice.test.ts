import { type Intent, randomString } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { answer } from '../../relay/test/harness.ts';
import { createDevice, type Device } from '../src/device/device.ts';
import type { ResolvedPayment } from '../src/device/conversation.ts';
import type { PaymentResult } from '../src/payments/types.ts';
import { cockpit, earphones, glasses } from '../src/profiles/profiles.ts';
import { useDeviceSystem } from './hooks.ts';
import { BROKERS, type DeviceSystem, parkingRules, sleep, until } from './system.ts';


describe.each(BROKERS)('voice payments over the %s broker', (broker) => {
  let system!: DeviceSystem;
  const closeAfterTest = useDeviceSystem(broker, (started) => (system = started));

  /** A payment the gate (standing in for any merchant) expects, as the device's maker resolves it. */
  function session(name: string, minor: number, category: ResolvedPayment['category']): ResolvedPayment {
    const reference = `ref-${randomString(8)}`;
    system.gate.expect(reference, { minor, currency: 'CNY' });
    return { merchant: { id: system.merchant.record.id, name }, amount: { minor, currency: 'CNY' }, category, notify: { url: system.gate.notifyUrl, reference } };
  }

  /** Teas up to 100 CNY by voice at this merchant. */
  const teaRules = () => ({
    kind: 'rules' as const,
    rules: [{ id: 'tea', currency: 'CNY', maxPerPaymentMinor: 100_00, merchants: { allow: [system.merchant.record.id] }, channels: ['device-voice' as const] }],
  });

  async function wearer(profile = earphones(), options: { revoked?: boolean } = {}) {
    const registered = await system.addDevice(profile.name, teaRules());
    if (options.revoked) await system.wallet.client.patch(`/v1/wallet/actors/${registered.actor.id}`, { status: 'revoked' });
    const said: string[] = [];
    const updates: PaymentResult[] = [];
    const device = createDevice({
      relay: registered.connection,
      profile,
      speak: (text) => void said.push(text),
      defaultCurrency: 'CNY',
      resolveSpokenPayment: (u) => (u.payee && /tea|茶/.test(u.payee) && u.amount ? session(u.lang === 'zh' ? '茶叶店' : 'Tea Shop', u.amount.minor, 'groceries') : null),
    });
    device.events.on('payment', (r) => updates.push(r));
    closeAfterTest(device);
    return { device, said, updates, registered };
  }

  const intentRow = (id: string) =>
    system.relay.ctx.db.query<{ evidence: Record<string, string>; channel: string; amount_minor: number }>('SELECT evidence, channel, amount_minor FROM intents WHERE id = $1', [id]).then((r) => r[0]!);

  it.each([
    ['Chinese', '给茶叶店付三十五元', '确认', /即将向茶叶店支付.*35\.00元/, /已向茶叶店支付35\.00元/],
    ['English', 'pay 35 yuan to the tea shop', 'confirm', /About to pay 35\.00 yuan to Tea Shop/, /Paid 35\.00 yuan to Tea Shop/],
  ])('pays by voice in %s once the wearer confirms, with the confirmation as evidence', async (_lang, request, yes, readBack, paid) => {
    const { device, said } = await wearer();
    const asked = await device.hear(request);
    expect(asked).toMatchObject({ status: 'held', code: 'awaiting_confirmation', amount: { minor: 35_00, currency: 'CNY' }, intentId: null });
    expect(said.at(-1)).toMatch(readBack);
    const result = await device.hear(yes);
    expect(result).toMatchObject({ status: 'paid', amount: { minor: 35_00 } });
    expect(said.at(-1)).toMatch(paid);
    const row = await intentRow(result!.intentId!);
    expect(row).toMatchObject({ channel: 'device-voice', amount_minor: 35_00 });
    expect(row.evidence).toMatchObject({ 'voice.request': request, 'voice.confirmation': yes });
    expect(row.evidence['voice.readBack']).toMatch(readBack);
    expect(system.gate.charges.filter((c) => c.intentId === result!.intentId)).toHaveLength(1);
  });

  it.each([
    ['Chinese', '付35块钱给茶叶店', '取消', /已取消/],
    ['English', 'pay thirty-five yuan to the tea shop', 'cancel', /Cancelled/],
  ])('pays nothing in %s when the wearer cancels', async (_lang, request, no, cancelled) => {
    const { device, said, registered } = await wearer();
    expect((await device.hear(request))?.status).toBe('held');
    expect(await device.hear(no)).toMatchObject({ status: 'refused', code: 'cancelled' });
    expect(said.at(-1)).toMatch(cancelled);
    expect(await system.count('SELECT count(*) AS n FROM intents WHERE actor_id = $1', [registered.actor.id])).toBe(0);
  });

  it('asks again when the answer is neither confirm nor cancel, and a tap confirms on glasses', async () => {
    const { device, said } = await wearer(glasses());
    await device.hear('pay 12 yuan to the tea shop');
    expect(await device.hear('what was that?')).toBeNull();
    expect(said.at(-1)).toMatch(/Say confirm or cancel/);
    expect(await device.tap('confirm')).toMatchObject({ status: 'paid', amount: { minor: 12_00 } });
  });

  it('lets a new request replace an open one, and confirms the new one', async () => {
    const { device, said, updates } = await wearer();
    await device.hear('pay 12 yuan to the tea shop');
    await device.hear('pay 15 yuan to the tea shop');
    expect(said.at(-1)).toMatch(/About to pay 15\.00 yuan/);
    expect(await device.hear('confirm')).toMatchObject({ status: 'paid', amount: { minor: 15_00 } });
    expect(updates.filter((u) => u.status === 'refused')).toEqual([expect.objectContaining({ code: 'superseded', amount: { minor: 12_00, currency: 'CNY' } })]);
    expect(said.some((s) => /Cancelled/.test(s))).toBe(false);
    expect(await device.hear('confirm')).toBeNull();
    expect(said.at(-1)).toBe('There is no payment to confirm.');
  });

  it('ends an open question without a word when the device shuts down', async () => {
    const { device, said, updates } = await wearer();
    await device.hear('pay 12 yuan to the tea shop');
    const spoken = said.length;
    await device.close();
    expect(updates.at(-1)).toMatchObject({ status: 'refused', code: 'cancelled', reason: /shut down/ });
    expect(said).toHaveLength(spoken);
  });

  it('cannot pay once the wallet revoked the device, and says so', async () => {
    const { device, said, registered } = await wearer(earphones(), { revoked: true });
    await device.hear('pay 12 yuan to the tea shop');
    const result = await device.hear('confirm');
    // The embedded broker refuses a revoked device's login; behind Mosquitto's own passwords, the relay refuses its request.
    expect(result).toMatchObject({ status: 'refused', code: broker === 'embedded' ? 'login_refused' : 'agent_revoked', intentId: null });
    expect(said.at(-1)).toMatch(/^The payment was refused; nothing was paid\. .*(login|revoked)/);
    expect(await system.count('SELECT count(*) AS n FROM intents WHERE actor_id = $1', [registered.actor.id])).toBe(0);
  });

  it('refuses before asking when nothing could hand the payment to the merchant', async () => {
    const registered = await system.addDevice('earphones', teaRules());
    const said: string[] = [];
    const device = createDevice({
      relay: registered.connection,
      profile: earphones(),
      speak: (text) => void said.push(text),
      defaultCurrency: 'CNY',
      // No notify URL, and this device has no deliverToken.
      resolveSpokenPayment: (u) => ({ merchant: { id: system.merchant.record.id, name: 'Tea Shop' }, amount: u.amount!, category: 'groceries' }),
    });
    closeAfterTest(device);
    expect(await device.hear('pay 12 yuan to the tea shop')).toMatchObject({ status: 'refused', code: 'no_delivery' });
    expect(said.some((s) => /Say confirm/.test(s))).toBe(false);
    expect(await system.count('SELECT count(*) AS n FROM intents WHERE actor_id = $1', [registered.actor.id])).toBe(0);
  });

  it('reports the steps to the wallet timeline', async () => {
    const { device } = await wearer();
    const asked = await device.hear('pay 20 yuan to the tea shop');
    await device.hear('confirm');
    // Progress is sent without waiting: poll the wallet's timeline until all five steps are there.
    const stages = async () => (await system.wallet.client.get<{ steps: { stage: string }[] }>(`/v1/wallet/tasks/${asked!.taskId}`)).steps.map((s) => s.stage);
    let seen: string[] = [];
    await until(() => seen.length >= 5, 5000, async () => (seen = await stages()));
    expect(seen).toEqual(['searching', 'found', 'awaiting_confirmation', 'preparing_to_pay', 'paid']);
  });

  describe('in a cockpit', () => {
    async function car() {
      const registered = await system.addDevice('cockpit', parkingRules(system.merchant.record.id));
      const said: string[] = [];
      const updates: PaymentResult[] = [];
      let parkingFee = 12_00;
      const device = createDevice({
        relay: registered.connection,
        profile: cockpit(),
        speak: (text) => void said.push(text),
        // The car knows the car park it is leaving and what it owes there.
        resolveSpokenPayment: (u) => (u.category === 'parking' ? session('Stadium Parking', parkingFee, 'parking') : null),
      });
      device.events.on('payment', (r) => updates.push(r));
      closeAfterTest(device);
      return { device, said, updates, setFee: (minor: number) => (parkingFee = minor) };
    }

    it('pays the parking fee under its rule without asking', async () => {
      const { device, said } = await car();
      const result = await device.hear('付停车费');
      expect(result).toMatchObject({ status: 'paid', amount: { minor: 12_00 }, merchant: { name: 'Stadium Parking' } });
      expect(said).toEqual(['已向Stadium Parking支付12.00元。']);
    });

    it('waits for a spoken confirmation above its rule, takes no tap, and then waits for the wallet', async () => {
      const { device, said, updates, setFee } = await car();
      setFee(80_00);
      expect(await device.hear('pay the parking fee')).toMatchObject({ status: 'held', code: 'awaiting_confirmation' });
      expect(said.at(-1)).toMatch(/About to pay 80\.00 yuan to Stadium Parking for parking/);
      await expect(device.tap('confirm')).rejects.toThrow(/cockpit takes no taps/);
      const paying = device.hear('confirm');
      // Above the mandate's 50 CNY rule too: the relay holds it for the wallet, and the driver hears so.
      await until(() => updates.some((u) => u.code === 'pending_confirmation'));
      expect(said.at(-1)).toMatch(/Waiting for your approval in the wallet.*80\.00 CNY/);
      const held = updates.find((u) => u.code === 'pending_confirmation')!;
      const intent = await system.wallet.client.get<Intent>(`/v1/intents/${held.intentId}`);
      expect((await intentRow(held.intentId!)).evidence).toMatchObject({ 'voice.request': 'pay the parking fee', 'voice.confirmation': 'confirm' });
      await answer(system.wallet, intent, 'approve');
      expect(await paying).toMatchObject({ status: 'paid', intentId: held.intentId });
      expect(said.at(-1)).toMatch(/Paid 80\.00 yuan/);
    });
  });
});
