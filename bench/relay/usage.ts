/**
 * Token Pay's metered usage (issue 13): reserve + settle pairs per second on one credit account
 * (every pair queues on its row: the hard case) and, at c > 1, on one account per lane, beside the
 * store's floor transaction measured in the same rounds; reserve latency; afterwards proof that
 * nothing drifted (each balance is what was bought less what was settled, the ledger check holds).
 *
 * Both halves run as the vendor routes run them: runCommand (nonce + idempotency key, one
 * transaction) around reserveUsage / settleUsage, without the signature, zod and HTTP in front.
 */
import { type CreditAccount, type Intent, randomString } from '@agentpay/protocol';
import { reserveUsage, settleUsage } from '../../relay/src/credits/usage.ts';
import type { RelayEvent } from '../../relay/src/events/hub.ts';
import { runCommand } from '../../relay/src/idempotency/command.ts';
import { checkLedger } from '../../relay/src/ledger/check.ts';
import type { Queryable } from '../../relay/src/store/database.ts';
import { cart, setMandate, setUpParties } from '../../relay/test/harness.ts';
import { type Row, row, Sample } from '../lib/stats.ts';
import type { SuiteContext } from '../lib/suite.ts';
import { type BlockResult, floorKind, floorRows, type Kind, lanesOf } from './kinds.ts';
import { explainProfile, formatExplain, formatStatementProfile, statementProfile } from './profile.ts';
import type { Bed } from './setup.ts';

/** Aim from the issue: a reserve + settle pair within twice the floor's time per transaction. */
const AIM = 2;
/** Credits bought per account: ¥10M, a hundred thousand times more than the whole run settles. */
const BOUGHT_MINOR = 1_000_000_000;
const RESERVE_MINOR = 1_00;
const CURRENCY = 'CNY';
/** Most accounts a kind uses (one per lane at the highest concurrency). */
const MAX_ACCOUNTS = 8;
const ONE_ACCOUNT = 'one account';

interface Account {
  id: string;
  bought: number;
  /** What this bench settled on it, counted here, to compare with the store's view. */
  settled: number;
  pairs: number;
}

interface UsageBlock extends BlockResult {
  /** Latency of the reserve alone, same indexing as `latencies` (the whole pair). */
  reserve: Float64Array;
}

/** The vendor buys credits for a fresh wallet's agent: an intent its quota approves, then POST /v1/vendor/credits with the token. */
async function buyAccount(bed: Bed): Promise<Account> {
  const { wallet, agent } = await setUpParties(bed.relay);
  await setMandate(wallet, agent.record.id, {
    kind: 'quota', budget: { minor: BOUGHT_MINOR, currency: CURRENCY }, period: 'month', merchants: [bed.merchantId],
  });
  const intent = await agent.client.post<Intent>('/v1/intents', cart(bed.merchantId, BOUGHT_MINOR));
  if (intent.status !== 'approved' || !intent.token) throw new Error(`credits intent not approved: ${JSON.stringify(intent)}`);
  const { account } = await bed.parties.merchant.client.post<{ account: CreditAccount }>('/v1/vendor/credits', {
    token: intent.token.secret, amount: intent.amount, reference: 'bench',
  });
  if (account.balance.minor !== BOUGHT_MINOR) throw new Error(`bought ${BOUGHT_MINOR} but the account holds ${account.balance.minor}`);
  return { id: account.id, bought: BOUGHT_MINOR, settled: 0, pairs: 0 };
}

/** A state change the way a route runs it: runCommand with a fresh idempotency key and nonce. */
async function asRoute<T>(bed: Bed, work: (tx: Queryable, outbox: RelayEvent[]) => Promise<T>): Promise<T> {
  const meta = { principal: bed.merchantId, idempotencyKey: `idem_${randomString(24)}`, requestHash: randomString(43), nonce: randomString(24) };
  return (await runCommand(bed.relay.ctx, meta, async (tx, outbox) => ({ status: 201, body: await work(tx, outbox) }))).body as T;
}

/** Pairs on `accountFor(lane)`: reserve 1.00, settle 0.60–0.99 of it (what the request "cost"). */
function usageKind(name: string, label: string, accountFor: (lane: number) => Account): Kind {
  const tag = randomString(8);
  let serial = 0;
  return {
    name,
    label,
    async prepare(bed, lanes, perLane) {
      const ctx = bed.relay.ctx;
      const vendorId = bed.merchantId;
      return async (): Promise<UsageBlock> => {
        const reserve = new Float64Array(lanes * perLane);
        const result = await lanesOf(lanes, perLane, async (lane, i) => {
          const account = accountFor(lane);
          const n = serial++;
          const usageId = `bench-${tag}-${n}`;
          const t0 = performance.now();
          const reserved = await asRoute(bed, (tx) =>
            reserveUsage(ctx, tx, vendorId, { accountId: account.id, usageId, amount: { minor: RESERVE_MINOR, currency: CURRENCY }, model: 'bench' }),
          );
          reserve[lane * perLane + i] = performance.now() - t0;
          if (reserved.status !== 'reserved') throw new Error(`reserve ${usageId}: ${JSON.stringify(reserved)}`);
          const cost = 60 + (n % 40);
          const settled = await asRoute(bed, (tx, outbox) => settleUsage(ctx, tx, outbox, vendorId, usageId, { amount: { minor: cost, currency: CURRENCY }, units: cost * 100 }));
          if (settled.status !== 'settled' || settled.settled?.minor !== cost) throw new Error(`settle ${usageId}: ${JSON.stringify(settled)}`);
          account.settled += cost;
          account.pairs++;
        });
        return { ...result, reserve };
      };
    },
  };
}

/**
 * The floor with every lane on ONE row: what the hard case (all pairs on one account) could reach
 * at best, since each half of a pair holds the account's row lock until its commit.
 */
const floorOneRowKind: Kind = {
  name: 'floor, one row',
  label: 'store floor with every lane on the same row',
  async prepare(bed, lanes, perLane) {
    return () => lanesOf(lanes, perLane, () => bed.floorTx(0));
  },
};

/** Every measured group: floors and usage kinds take turns in each round (order rotating), as the authorization rows do. */
async function compareUsage(ctx: SuiteContext, bed: Bed, kinds: Kind[], c: number): Promise<Row[]> {
  const { config } = ctx;
  const all = [floorKind, ...(c > 1 ? [floorOneRowKind] : []), ...kinds];
  const samples = new Map(all.map((k) => [k.name, new Sample()]));
  const reserves = new Map(kinds.map((k) => [k.name, new Sample()]));
  const rates = new Map<string, number>();
  ctx.log(`${bed.store} c=${c}: usage warm-up`);
  for (const kind of all) {
    const result = await (await kind.prepare(bed, c, Math.max(2, Math.ceil(config.warmupOps / c))))();
    rates.set(kind.name, (result.latencies.length / result.elapsedMs) * 1000);
  }
  for (let round = 0; round < config.rounds; round++) {
    ctx.log(`${bed.store} c=${c}: usage round ${round + 1}/${config.rounds} (${all.map((k) => `${k.name} ~${rates.get(k.name)!.toFixed(0)}/s`).join(', ')})`);
    for (let i = 0; i < all.length; i++) {
      const kind = all[(i + round) % all.length]!;
      const perLane = Math.max(3, Math.round((rates.get(kind.name)! * config.roundMs) / 1000 / c));
      const result = await (await kind.prepare(bed, c, perLane))();
      samples.get(kind.name)!.addRound(result.latencies, result.elapsedMs);
      rates.set(kind.name, (result.latencies.length / result.elapsedMs) * 1000);
      const reserve = (result as Partial<UsageBlock>).reserve;
      if (reserve) reserves.get(kind.name)!.addRound(reserve, result.elapsedMs);
    }
  }

  const floor = samples.get(floorKind.name)!;
  const prefix = `${bed.store} c=${c}`;
  const rows: Row[] = floorRows(prefix, floor);
  const oneRow = samples.get(floorOneRowKind.name);
  if (oneRow) rows.push(row(`${prefix} floor tx, all lanes on one row`, 'tx/s', oneRow.rate, floor.rate));
  for (const kind of kinds) {
    const s = samples.get(kind.name)!;
    const r = reserves.get(kind.name)!;
    // Time per pair over time per floor transaction, both from throughput: floor tx/s ÷ pairs/s.
    const times = floor.rate / s.rate;
    rows.push(
      row(`${prefix} usage reserve+settle, ${kind.name}`, 'pair/s', s.rate, floor.rate / AIM),
      row(`${prefix} usage pair time / floor tx time, ${kind.name}`, 'x', times, AIM),
      row(`${prefix} usage reserve p50, ${kind.name}`, 'ms', r.percentile(50), floor.percentile(50)),
      row(`${prefix} usage reserve p99, ${kind.name}`, 'ms', r.percentile(99), floor.percentile(99)),
      row(`${prefix} usage pair p50, ${kind.name}`, 'ms', s.percentile(50), floor.percentile(50)),
    );
    const perRound = s.roundRates.map((rate, i) => (floor.roundRates[i]! / rate).toFixed(2)).join(' ');
    ctx.note(
      `${prefix} usage ${kind.name}: ${s.rate.toFixed(0)} pairs/s vs floor ${floor.rate.toFixed(0)} tx/s: a pair takes ${times.toFixed(2)}× a floor tx ` +
        `(${times <= AIM ? 'within' : 'OVER'} the ${AIM}× aim); per round: ${perRound}; reserve p50 ${r.percentile(50).toFixed(3)} ms, p99 ${r.percentile(99).toFixed(3)} ms` +
        (oneRow && kind.name === ONE_ACCOUNT ? `; against the one-row floor (${oneRow.rate.toFixed(0)} tx/s) ${(oneRow.rate / s.rate).toFixed(2)}×` : ''),
    );
  }
  return rows;
}

/** Each balance is what was bought less what this bench settled, nothing stays reserved, and the ledger check passes. */
async function checkNoDrift(ctx: SuiteContext, bed: Bed, accounts: Account[]): Promise<void> {
  const problems: string[] = [];
  for (const account of accounts) {
    const [found] = await bed.db.query<{ balance: string; reserved: string; settled: string; pairs: string; open: string }>(
      `SELECT a.balance_minor AS balance, a.reserved_minor AS reserved,
              (SELECT COALESCE(SUM(settled_minor), 0) FROM credit_usage u WHERE u.account_id = a.id AND u.status = 'settled')::int8 AS settled,
              (SELECT COUNT(*) FROM credit_usage u WHERE u.account_id = a.id AND u.status = 'settled')::int8 AS pairs,
              (SELECT COUNT(*) FROM credit_usage u WHERE u.account_id = a.id AND u.status <> 'settled')::int8 AS open
       FROM credit_accounts a WHERE a.id = $1`,
      [account.id],
    );
    const balance = Number(found!.balance);
    const expected = account.bought - account.settled;
    if (balance !== expected || Number(found!.settled) !== account.settled || Number(found!.pairs) !== account.pairs || Number(found!.reserved) !== 0 || Number(found!.open) !== 0) {
      problems.push(
        `account ${account.id}: balance ${balance}, expected bought ${account.bought} − settled ${account.settled} = ${expected}; ` +
          `store settled ${found!.settled} over ${found!.pairs} usages (bench: ${account.pairs}); reserved ${found!.reserved}, ${found!.open} usages not settled`,
      );
    }
  }
  const ledger = await checkLedger(bed.db);
  for (const p of ledger.problems) problems.push(`ledger check "${p.check}": ${p.detail}`);
  if (problems.length > 0) throw new Error(`${bed.store}: metered usage drifted:\n  ${problems.join('\n  ')}`);
  const pairs = accounts.reduce((n, a) => n + a.pairs, 0);
  ctx.note(
    `${bed.store} usage: no drift: ${accounts.length} accounts, ${pairs} pairs, each balance = bought − settled, nothing left reserved; ` +
      `ledger check ok (${ledger.checks.length} checks, ${ledger.journals} journals)`,
  );
}

/** The usage rows of one store: each concurrency against the floor, a statement profile, then the drift check. */
export async function usageRows(ctx: SuiteContext, bed: Bed): Promise<Row[]> {
  const { config } = ctx;
  ctx.log(`${bed.store}: buying credits for ${1 + MAX_ACCOUNTS} accounts`);
  const shared = await buyAccount(bed);
  const separate: Account[] = [];
  for (let i = 0; i < MAX_ACCOUNTS; i++) separate.push(await buyAccount(bed));
  const oneAccount = usageKind(ONE_ACCOUNT, 'reserve + settle pairs, every lane on one credit account', () => shared);
  const rows: Row[] = [];
  for (const c of config.concurrency) {
    const kinds = [oneAccount];
    if (c > 1 && c <= MAX_ACCOUNTS) kinds.push(usageKind(`${c} accounts`, 'reserve + settle pairs, one credit account per lane', (lane) => separate[lane]!));
    rows.push(...(await compareUsage(ctx, bed, kinds, c)));
  }

  ctx.log(`${bed.store}: usage statement profile`);
  const statements = await statementProfile(bed, oneAccount, config.profileOps, config.concurrency);
  ctx.note(`\n${formatStatementProfile(bed, statements, config.concurrency, { op: 'pair', whole: 'whole pair (two runCommand transactions)', title: 'usage pair, reserve + settle' })}`);
  rows.push(row(`${bed.store} SQL statements per usage pair (reserve + settle)`, 'count', statements.statementsPerOp));
  ctx.note(`\n${formatExplain(bed, await explainProfile(bed, oneAccount, config.quick ? 10 : 50))}`);

  await checkNoDrift(ctx, bed, [shared, ...separate]);
  return rows;
}
