import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestRelay } from '../../relay/test/harness.ts';
import type { Relay } from '../../relay/src/relay.ts';
import { main } from '../sim/main.ts';

// `npx device-sim` against a running relay: what an `npm start` user sees, step by step.
describe('the device simulator', () => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startTestRelay('pglite');
  });
  afterAll(async () => {
    await relay?.close();
  });

  async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      const code = await main(argv, { RELAY_URL: relay.httpUrl, DEVICE_MQTT_URL: relay.mqttUrl, PAIRING_CODE: relay.ctx.pairingCode });
      return { code, lines };
    } finally {
      spy.mockRestore();
    }
  }

  // Three devices, a relay and a broker on two shared cores: 17 s on a busy day, once over 30 s.
  it('plays a car passing a gate, a driver paying by voice and an earphone wearer, printing each step', { timeout: 120_000 }, async () => {
    const { code, lines } = await run([]);
    const out = lines.join('\n');
    expect(code).toBe(0);
    // The gate: read in the frames, paid once, charged by the operator.
    expect(out.match(/frame .*: pay agentpay:\/\/pay/g)).toHaveLength(1);
    expect(out).toMatch(/payment {3}paid: 12\.00 CNY to Stadium Parking/);
    // Charging by voice: read back, confirmed, held for the wallet, approved, paid.
    expect(out).toMatch(/car says {2}"About to pay 80\.00 yuan to Stadium Parking for charging\. Say confirm or cancel\."/);
    expect(out).toMatch(/wallet {4}the user approves car's payment on the phone/);
    expect(out).toMatch(/payment {3}paid: 80\.00 CNY to Stadium Parking/);
    // Earphones: paid in Chinese, cancelled in English.
    expect(out).toMatch(/earphones "即将向街角茶馆支付.*35\.00元/);
    expect(out).toMatch(/payment {3}paid: 35\.00 CNY to 街角茶馆/);
    expect(out).toMatch(/payment {3}refused: 20\.00 CNY to Corner Tea House: cancelled by the user/);
    expect(out.match(/merchant {2}.* charged chg_/g)).toHaveLength(3);
  });

  it('refuses unknown arguments by name', async () => {
    await expect(run(['--speed', 'fast'])).rejects.toThrow(/unknown argument --speed/);
  });
});
