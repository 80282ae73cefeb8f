import { describe, expect, it } from 'vitest';
import { type CrashSetup, crashRun } from './crash-run.ts';

/** Seconds of paying under random SIGKILLs, per setup (`SOAK_SECONDS`, default 120). */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 120);
const SETUPS: CrashSetup[] = ['pglite', 'postgres', 'postgres-pair', 'pglite-pid1'];

describe('crash run: the relay SIGKILLed at random moments while agents and devices pay and retry', () => {
  for (const setup of SETUPS) {
    it(`${setup}: every payment a client was told about is stored once, as told; the ledger checks; the relay comes back`, async () => {
      const report = await crashRun({ setup, seconds: SECONDS, log: (line) => console.log(line) });
      const { audit, discrepancies, ...counts } = report;
      console.log(JSON.stringify({ ...counts, comeBackMs: summarise(counts.comeBackMs), ledger: audit?.ledger, discrepancies }, null, 2));
      expect(discrepancies).toEqual([]);
      expect(report.notBack).toEqual([]);
      expect(report.kills).toBeGreaterThan(0);
      expect(report.payments).toBeGreaterThan(0);
      expect(audit?.ledger.ok).toBe(true);
    }, (SECONDS + 600) * 1000);
  }
});

function summarise(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { restarts: ms.length, median: sorted[Math.floor(sorted.length / 2)] ?? null, max: sorted.at(-1) ?? null };
}
