/**
 * Usage suite (Token Pay, issue 13): metered usage, reserve + settle pairs per second on PGlite and
 * PostgreSQL against the store's own floor transaction measured in the same rounds, reserve
 * latency, a statement profile, and a check that no balance drifted. See bench/relay/usage.ts.
 */
import type { StoreKind } from '../relay/test/harness.ts';
import type { Row } from './lib/stats.ts';
import type { Suite } from './lib/suite.ts';
import { startBed } from './relay/setup.ts';
import { usageRows } from './relay/usage.ts';

export const suite: Suite = {
  name: 'usage',
  description: 'metered usage: reserve + settle pairs vs the store floor (PGlite, PostgreSQL), one account and one per lane',
  async run(ctx) {
    const rows: Row[] = [];
    for (const store of ctx.config.stores as StoreKind[]) {
      if (store !== 'pglite' && store !== 'postgres') throw new Error(`BENCH_STORES: unknown store ${store}`);
      ctx.log(`${store}: starting relay`);
      const bed = await startBed(store);
      try {
        rows.push(...(await usageRows(ctx, bed)));
      } finally {
        ctx.log(`${store}: closing relay${store === 'postgres' ? ' and dropping its schema' : ''}`);
        await bed.close();
      }
    }
    return rows;
  },
};
