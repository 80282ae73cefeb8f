import { describe, expect, it } from 'vitest';
import { crashRun } from '../../soak/crash/crash-run.ts';
import { STORES } from './harness.ts';

// The short form of the crash run in `npm run soak` (soak/crash): two SIGKILLs of the relay process while
// agents and a device pay and retry with their keys, then the store is compared with what they were told.
for (const store of STORES) {
  describe(store, () => {
    it('a relay SIGKILLed twice while paying comes back each time, and every payment a client was told about is stored once, as told', async () => {
      const report = await crashRun({ setup: store, seconds: 0, minKills: 2, maxUptimeMs: 1500, agents: 2, devices: 1 });
      expect(report.discrepancies).toEqual([]);
      expect(report.notBack).toEqual([]);
      expect(report.kills).toBeGreaterThanOrEqual(2);
      expect(report.payments).toBeGreaterThan(0);
      expect(report.audit?.ledger.ok).toBe(true);
    }, 180_000);
  });
}
