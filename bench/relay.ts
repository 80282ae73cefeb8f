/**
 * Relay suite: automatically approved authorizations (intent → token) on
 * PGlite and PostgreSQL, against the store's own floor transaction measured
 * in the same rounds; then the same decision over MQTT against the broker's
 * bare round trips; then a profile of where an authorization's time goes.
 */
import { join } from 'node:path';
import { createHttpApp } from '../relay/src/http/app.ts';
import type { StoreKind } from '../relay/test/harness.ts';
import { cpuStart, cpuStop, type CpuSpent } from './lib/cpu.ts';
import { percentile, type Row, row, Sample } from './lib/stats.ts';
import type { Suite, SuiteContext } from './lib/suite.ts';
import { TsWorker } from './lib/worker.ts';
import { floorKind, floorRows, httpKind, inProcessKind, type Kind, serviceKind } from './relay/kinds.ts';
import { BROKERS, sampleMqtt, type BrokerKind } from './relay/mqtt.ts';
import {
  cpuProfile, explainProfile, formatCpuSummary, formatExplain, formatStatementProfile, habitsScaling, statementProfile, stepTimes,
} from './relay/profile.ts';
import { type Bed, startBed } from './relay/setup.ts';

/** Aim from the brief: authorizations per second at least half the store's floor transaction rate. */
const AIM = 0.5;

export const suite: Suite = {
  name: 'relay',
  description: 'automatic authorizations vs the store floor (PGlite, PostgreSQL), device decisions over MQTT vs bare round trips',
  async run(ctx) {
    const rows: Row[] = [];
    const worker = new TsWorker(new URL('./relay/http-load.ts', import.meta.url));
    try {
      for (const store of ctx.config.stores as StoreKind[]) {
        if (store !== 'pglite' && store !== 'postgres') throw new Error(`BENCH_STORES: unknown store ${store}`);
        ctx.log(`${store}: starting relay`);
        const bed = await startBed(store);
        try {
          const kinds = [floorKind, serviceKind, inProcessKind(createHttpApp(bed.relay.ctx)), httpKind(worker)];
          for (const c of ctx.config.concurrency) rows.push(...(await compare(ctx, bed, kinds, c)));
          await profile(ctx, bed, kinds, rows);
          for (const broker of ctx.config.brokers as BrokerKind[]) {
            if (!BROKERS.includes(broker)) throw new Error(`BENCH_BROKERS: unknown broker ${broker}`);
            rows.push(...(await mqttRows(ctx, bed, broker)));
          }
        } finally {
          ctx.log(`${store}: closing relay${store === 'postgres' ? ' and dropping its schema' : ''}`);
          await bed.close();
        }
      }
    } finally {
      await worker.close();
    }
    return rows;
  },
};

/**
 * Every kind at one concurrency: a warm-up that also estimates each kind's
 * rate, then rounds in which the kinds take turns (order rotating), each
 * sized to about roundMs.
 */
async function compare(ctx: SuiteContext, bed: Bed, kinds: Kind[], c: number): Promise<Row[]> {
  const { config } = ctx;
  const samples = new Map(kinds.map((k) => [k.name, new Sample()]));
  const signing: number[] = [];
  const rates = new Map<string, number>();
  const cpu = new Map(kinds.map((k) => [k.name, { threadMs: 0, processMs: 0, machineMs: 0, capacityMs: 0, workerMs: 0, ops: 0 }]));
  ctx.log(`${bed.store} c=${c}: warm-up`);
  for (const kind of kinds) {
    const perLane = Math.max(2, Math.ceil(config.warmupOps / c));
    const result = await (await kind.prepare(bed, c, perLane))();
    rates.set(kind.name, (result.latencies.length / result.elapsedMs) * 1000);
  }
  for (let round = 0; round < config.rounds; round++) {
    ctx.log(`${bed.store} c=${c}: round ${round + 1}/${config.rounds} (${kinds.map((k) => `${k.name} ~${rates.get(k.name)!.toFixed(0)}/s`).join(', ')})`);
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[(i + round) % kinds.length]!;
      const perLane = Math.max(3, Math.round((rates.get(kind.name)! * config.roundMs) / 1000 / c));
      const run = await kind.prepare(bed, c, perLane);
      const meter = cpuStart();
      const result = await run();
      const spent: CpuSpent = cpuStop(meter);
      const acc = cpu.get(kind.name)!;
      acc.threadMs += spent.threadMs;
      acc.processMs += spent.processMs;
      acc.machineMs += spent.machineMs;
      acc.capacityMs += spent.capacityMs;
      acc.workerMs += result.workerActiveMs ?? 0;
      acc.ops += result.latencies.length;
      samples.get(kind.name)!.addRound(result.latencies, result.elapsedMs);
      rates.set(kind.name, (result.latencies.length / result.elapsedMs) * 1000);
      if (result.signing) for (let j = 0; j < result.signing.length; j++) signing.push(result.signing[j]!);
    }
  }

  const floor = samples.get(floorKind.name)!;
  const prefix = `${bed.store} c=${c}`;
  const rows: Row[] = floorRows(prefix, floor);
  for (const kind of kinds) {
    if (kind === floorKind) continue;
    const s = samples.get(kind.name)!;
    rows.push(
      row(`${prefix} auth ${kind.name}`, 'auth/s', s.rate, floor.rate),
      row(`${prefix} auth ${kind.name} p50`, 'ms', s.percentile(50), floor.percentile(50)),
      row(`${prefix} auth ${kind.name} p99`, 'ms', s.percentile(99), floor.percentile(99)),
    );
    const perRound = s.roundRates.map((r, i) => (r / floor.roundRates[i]!).toFixed(2)).join(' ');
    const verdict = s.rate / floor.rate >= AIM ? 'meets' : 'BELOW';
    ctx.note(`${prefix} ${kind.name}/floor throughput ${(s.rate / floor.rate).toFixed(2)} (${verdict} the ${AIM} aim); per round: ${perRound}`);
  }
  ctx.note(`${prefix} CPU per operation (ms) over the rounds: relay thread and client worker = event-loop busy time; other thr = rest of this process (libuv pool: WebCrypto, GC helpers; negative when a busy thread was preempted); other procs = rest of the machine (PostgreSQL backends, and whatever else runs there); busy = machine CPU used of 2 cores`);
  ctx.note(`  ${'kind'.padEnd(12)} ${'relay thread'.padStart(12)} ${'client wkr'.padStart(10)} ${'other thr'.padStart(10)} ${'other procs'.padStart(11)} ${'machine'.padStart(8)} ${'busy'.padStart(5)}`);
  for (const kind of kinds) {
    const a = cpu.get(kind.name)!;
    const other = a.processMs - a.threadMs - a.workerMs;
    const procs = a.machineMs - a.processMs;
    const f = (ms: number, w: number) => (ms / a.ops).toFixed(3).padStart(w);
    ctx.note(
      `  ${kind.name.padEnd(12)} ${f(a.threadMs, 12)} ${f(a.workerMs, 10)} ${f(other, 10)} ${f(procs, 11)} ${f(a.machineMs, 8)} ${`${((a.machineMs / a.capacityMs) * 100).toFixed(0)}%`.padStart(5)}`,
    );
  }
  const http = samples.get('HTTP')!;
  rows.push(row(`${prefix} HTTP client signing p50 (in the HTTP latency)`, 'ms', percentile(signing, 50)));
  ctx.note(
    `${prefix} HTTP client-side signing p50 ${percentile(signing, 50).toFixed(3)} ms = ${((percentile(signing, 50) / http.percentile(50)) * 100).toFixed(0)}% of the HTTP p50 (runs in the worker, off the relay's thread)`,
  );
  return rows;
}

async function profile(ctx: SuiteContext, bed: Bed, kinds: Kind[], rows: Row[]): Promise<void> {
  const { config } = ctx;
  ctx.log(`${bed.store}: statement profile`);
  const inProcess = kinds.find((k) => k.name === 'in-process')!;
  const statements = await statementProfile(bed, inProcess, config.profileOps, config.concurrency);
  ctx.note(`\n${formatStatementProfile(bed, statements, config.concurrency)}`);
  rows.push(row(`${bed.store} SQL statements per authorization`, 'count', statements.statementsPerOp));
  const explained = await explainProfile(bed, inProcess, config.quick ? 10 : 50);
  ctx.note(`\n${formatExplain(bed, explained)}`);

  const steps = await stepTimes(bed, config.quick ? 50 : 500);
  ctx.note(`\n${bed.store}: CPU-only steps of one signed request, each alone (mean µs):`);
  for (const [name, us] of Object.entries(steps)) ctx.note(`  ${us.toFixed(1).padStart(8)}  ${name}`);
  rows.push(row(`${bed.store} ES256 verify (verifyCanonical)`, 'ms', steps['relay: verifyCanonical (ES256 verify + canonical check)']! / 1000));
  rows.push(row(`${bed.store} ES256 client signing (signHttpRequest)`, 'ms', steps['client: signHttpRequest (canonical JSON + SHA-256 + ES256 sign)']! / 1000));

  const histories = config.quick ? [0, 300] : [0, 300, 3000];
  const habits = await habitsScaling(bed, histories, config.quick ? 10 : 40);
  ctx.note(
    `${bed.store}: readHabits p50 by the agent's intents in the last 7 days: ${[...habits].map(([h, ms]) => `${h} → ${ms.toFixed(3)} ms`).join(', ')}`,
  );
  for (const [h, ms] of habits) rows.push(row(`${bed.store} readHabits p50, ${h} intents of history`, 'ms', ms, habits.get(0)));

  if (config.cpuProfile) {
    const c = Math.max(...config.concurrency);
    const http = kinds.find((k) => k.name === 'HTTP')!;
    ctx.log(`${bed.store}: CPU profile of the relay thread under HTTP load, c=${c}`);
    // Size the profiled block like a round, from a short probe.
    const probe = await (await http.prepare(bed, c, 10))();
    const perLane = Math.max(10, Math.round((((probe.latencies.length / probe.elapsedMs) * 1000 * config.roundMs) / 1000 / c) * 1.5));
    const run = await http.prepare(bed, c, perLane);
    const file = join(ctx.resultsDir, 'profiles', `relay-${bed.store}-http-c${c}.cpuprofile`);
    const summary = await cpuProfile(run, file);
    ctx.note(`\n${formatCpuSummary(`${bed.store}: relay thread under HTTP load, c=${c} (client in a worker)`, summary)}`);
  }
}

async function mqttRows(ctx: SuiteContext, bed: Bed, broker: BrokerKind): Promise<Row[]> {
  ctx.log(`${bed.store}: MQTT via ${broker}`);
  const s = await sampleMqtt(bed, broker, ctx.config.mqttSamples, ctx.config.mqttMaxMs);
  const p = (values: number[], q: number) => percentile(values, q);
  const prefix = `${bed.store} mqtt ${broker}`;
  const budget50 = 3 * p(s.loop, 50) + p(s.commit, 50);
  const budget99 = 3 * p(s.loop, 99) + p(s.commit, 99);
  const within = (value: number, budget: number) => (value <= budget ? 'within' : 'OVER');
  ctx.note(
    `${prefix}: intent→decision p50 ${p(s.intent, 50).toFixed(3)} ms vs 3 bare loops + 1 commit ${budget50.toFixed(3)} ms: ${within(p(s.intent, 50), budget50)} (x${(p(s.intent, 50) / budget50).toFixed(2)}); ` +
      `p99 ${p(s.intent, 99).toFixed(3)} vs ${budget99.toFixed(3)} ms: ${within(p(s.intent, 99), budget99)}; ` +
      `relay work ≈ intent − echo = ${(p(s.intent, 50) - p(s.echo, 50)).toFixed(3)} ms (p50)` +
      (broker === 'embedded' ? '; bare loops on a second embedded broker instance in this process (the ACL forbids them on the relay\'s own)' : '') +
      `; ${s.intent.length} samples${s.capped ? ` (capped at ${ctx.config.mqttMaxMs} ms)` : ''}`,
  );
  const sp = s.split;
  ctx.note(
    `${prefix}: intent p50 split (ms): inbound hop ${p(sp.inbound, 50).toFixed(3)}, findPrincipal ${p(sp.findPrincipal, 50).toFixed(3)}, ` +
      `verify+zod+hash ${p(sp.verify, 50).toFixed(3)}, transaction ${p(sp.transaction, 50).toFixed(3)}, outbound hop ${p(sp.outbound, 50).toFixed(3)}`,
  );
  return [
    row(`${prefix} intent→decision p50`, 'ms', p(s.intent, 50), budget50),
    row(`${prefix} intent→decision p99`, 'ms', p(s.intent, 99), budget99),
    row(`${prefix} bare QoS1 pub→own sub p50`, 'ms', p(s.loop, 50)),
    row(`${prefix} bare QoS1 pub→own sub p99`, 'ms', p(s.loop, 99)),
    row(`${prefix} request→echo p50`, 'ms', p(s.echo, 50)),
    row(`${prefix} request→echo p99`, 'ms', p(s.echo, 99)),
    row(`${prefix} one commit (floor tx) p50`, 'ms', p(s.commit, 50)),
    row(`${prefix} intent→decision / request→echo p50`, 'x', p(s.intent, 50) / p(s.echo, 50)),
    row(`${prefix} device signing p50 (before the clock)`, 'ms', p(s.signing, 50)),
  ];
}
