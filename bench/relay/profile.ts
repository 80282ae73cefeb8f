/**
 * Where an authorization's time goes: every SQL statement timed by wrapping
 * the relay's Database, the signature and validation steps timed alone, the
 * risk query against a growing history, and a V8 CPU profile of the relay's
 * thread under HTTP load.
 */
import { IntentRequest, jwsKeyId, sha256Base64url, signHttpRequest, verifyCanonical } from '@agentpay/protocol';
import { createHash, createPublicKey, verify as verifySync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Session } from 'node:inspector/promises';
import { readHabits } from '../../relay/src/risk/risk.ts';
import type { Database, Queryable } from '../../relay/src/store/database.ts';
import { mean, percentile } from '../lib/stats.ts';
import type { BlockResult, Kind } from './kinds.ts';
import type { Bed } from './setup.ts';

const BEGIN = 'transaction start (pool checkout + BEGIN / PGlite tx mutex + BEGIN)';
const COMMIT = 'COMMIT (+ release)';
const TX_JS = 'JS inside the transaction between statements';
const OVERHEAD = [BEGIN, COMMIT, TX_JS];

/**
 * A statement's name: the relay function that sent it (from the stack, so it
 * follows the code as it changes) and the tables it reads and writes.
 */
const labels = new Map<string, string>();
function label(sql: string): string {
  let name = labels.get(sql);
  if (name) return name;
  const frame = (new Error().stack ?? '')
    .split('\n')
    .map((line) => /at (?:async )?(?:(\S+) \()?.*\/relay\/src\/((?!store\/)[^:)]+):(\d+)/.exec(line))
    .find((m) => m !== null);
  const where = frame ? `${(frame[1] ?? '(anonymous)').replace('<anonymous>', '(anonymous)')} (${frame[2]}:${frame[3]})` : 'relay';
  const flat = sql.replace(/\s+/g, ' ');
  const writes = [...flat.matchAll(/\b(INSERT INTO|UPDATE|DELETE FROM) (\w+)/gi)]
    .filter((m) => m[2]!.toUpperCase() !== 'SET') // ON CONFLICT … DO UPDATE SET
    .map((m) => `${m[1]!.split(' ')[0]!.toUpperCase()} ${m[2]}${/ON CONFLICT/i.test(flat) && /^INSERT/i.test(m[1]!) ? ' ON CONFLICT' : ''}`);
  const reads = [...new Set([...flat.matchAll(/\b(?:FROM|JOIN) (\w+)/gi)].map((m) => m[1]!))].filter(
    (t) => !/^(fresh|one|recent|audit|token|hold)$/i.test(t) && !writes.some((w) => w.endsWith(` ${t}`)),
  );
  const what = [...writes, ...(reads.length > 0 ? [`SELECT ${reads.join(', ')}`] : [])].join(' + ') || flat.slice(0, 50);
  name = `${where}: ${what}`;
  labels.set(sql, name);
  return name;
}

class StatementStats {
  readonly byLabel = new Map<string, number[]>();
  add(name: string, ms: number): void {
    let list = this.byLabel.get(name);
    if (!list) this.byLabel.set(name, (list = []));
    list.push(ms);
  }
  reset(): void {
    this.byLabel.clear();
  }
}

/** The same Database, timing every statement, transaction start, commit and the JS between statements. */
function instrument(db: Database, stats: StatementStats): Database {
  const timed = (q: Queryable, inTx?: { sql: number }): Queryable => ({
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      const t0 = performance.now();
      try {
        return await q.query<T>(sql, params);
      } finally {
        const ms = performance.now() - t0;
        stats.add(label(sql), ms);
        if (inTx) inTx.sql += ms;
      }
    },
  });
  const outside = timed(db);
  return {
    engine: db.engine,
    query: outside.query,
    ping: () => db.ping(),
    async transaction(work) {
      const t0 = performance.now();
      let workEnd = 0;
      const result = await db.transaction(async (tx) => {
        const started = performance.now();
        stats.add(BEGIN, started - t0);
        const acc = { sql: 0 };
        try {
          return await work(timed(tx, acc));
        } finally {
          workEnd = performance.now();
          stats.add(TX_JS, workEnd - started - acc.sql);
        }
      });
      stats.add(COMMIT, performance.now() - workEnd);
      return result;
    },
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
}

export interface StatementProfile {
  ops: number;
  /** Mean whole authorization (app.request) at each concurrency. */
  totalMs: Map<number, number>;
  /** Per label and concurrency: calls per authorization and mean ms per call. */
  lines: Map<string, Map<number, { perOp: number; meanMs: number; p99Ms: number }>>;
  statementsPerOp: number;
}

/** Runs the in-process authorization with the relay's Database wrapped, at each concurrency. */
export async function statementProfile(bed: Bed, inProcess: Kind, ops: number, concurrency: number[]): Promise<StatementProfile> {
  const stats = new StatementStats();
  const ctx = bed.relay.ctx;
  const original = ctx.db;
  const out: StatementProfile = { ops, totalMs: new Map(), lines: new Map(), statementsPerOp: 0 };
  for (const c of concurrency) {
    const perLane = Math.max(1, Math.round(ops / c));
    const run = await inProcess.prepare(bed, c, perLane);
    stats.reset();
    ctx.db = instrument(original, stats);
    let result: BlockResult;
    try {
      result = await run();
    } finally {
      ctx.db = original;
    }
    const n = result.latencies.length;
    out.totalMs.set(c, mean(result.latencies));
    let statements = 0;
    for (const [name, list] of stats.byLabel) {
      if (!OVERHEAD.includes(name)) statements += list.length;
      let line = out.lines.get(name);
      if (!line) out.lines.set(name, (line = new Map()));
      line.set(c, { perOp: list.length / n, meanMs: mean(list), p99Ms: percentile(list, 99) });
    }
    if (c === concurrency[0]) out.statementsPerOp = statements / n;
  }
  return out;
}

export function formatStatementProfile(
  bed: Bed,
  profile: StatementProfile,
  concurrency: number[],
  what = { op: 'auth', whole: 'whole authorization (app.request); the rest is verify, zod, Hono, JSON', title: 'in-process authorization' },
): string {
  const head = ['step', `calls/${what.op}`, ...concurrency.flatMap((c) => [`c=${c} mean ms`, `c=${c} ms/${what.op}`])];
  const body: string[][] = [];
  // In the order first seen, i.e. the order the authorization runs them.
  const names = [...profile.lines.keys()];
  const sums = new Map<number, number>();
  for (const name of names) {
    const line = profile.lines.get(name)!;
    const first = line.get(concurrency[0]!);
    const cells = [name, first ? first.perOp.toFixed(2) : ''];
    for (const c of concurrency) {
      const v = line.get(c);
      cells.push(v ? v.meanMs.toFixed(3) : '', v ? (v.meanMs * v.perOp).toFixed(3) : '');
      if (v) sums.set(c, (sums.get(c) ?? 0) + v.meanMs * v.perOp);
    }
    body.push(cells);
  }
  body.push(['sum of the above', '', ...concurrency.flatMap((c) => ['', (sums.get(c) ?? 0).toFixed(3)])]);
  body.push([
    what.whole,
    '',
    ...concurrency.flatMap((c) => ['', (profile.totalMs.get(c) ?? 0).toFixed(3)]),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [
    `${bed.store}: statements of one ${what.title} (relay Database wrapped; ${profile.statementsPerOp.toFixed(1)} SQL statements per ${what.op})`,
    line(head),
    ...body.map(line),
  ].join('\n');
}

interface Explained {
  planMs: number[];
  execMs: number[];
  clientMs: number[];
}

/**
 * The server's own view of each statement: every statement of `ops`
 * sequential authorizations is first run as EXPLAIN ANALYZE inside a
 * savepoint that is rolled back, then run for real and timed from the client.
 * Planning + execution is what the engine spends; the rest of the client's
 * time is protocol, round trip and (PGlite) JS glue.
 */
export async function explainProfile(bed: Bed, inProcess: Kind, ops: number): Promise<Map<string, Explained>> {
  const out = new Map<string, Explained>();
  const ctx = bed.relay.ctx;
  const original = ctx.db;
  const record = (sql: string, plan: unknown, clientMs: number) => {
    const [top] = plan as [{ 'Planning Time': number; 'Execution Time': number }];
    const name = label(sql);
    let entry = out.get(name);
    if (!entry) out.set(name, (entry = { planMs: [], execMs: [], clientMs: [] }));
    entry.planMs.push(top['Planning Time']);
    entry.execMs.push(top['Execution Time']);
    entry.clientMs.push(clientMs);
  };
  const planOf = (rows: Record<string, unknown>[]) => {
    const value = Object.values(rows[0]!)[0];
    return typeof value === 'string' ? JSON.parse(value) : value;
  };
  const explained = (q: Queryable, inTx: boolean): Queryable => ({
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      if (inTx) await q.query('SAVEPOINT bench_explain');
      const plan = planOf(await q.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params));
      if (inTx) await q.query('ROLLBACK TO SAVEPOINT bench_explain');
      const t0 = performance.now();
      const rows = await q.query<T>(sql, params);
      record(sql, plan, performance.now() - t0);
      return rows;
    },
  });
  const run = await inProcess.prepare(bed, 1, ops);
  ctx.db = {
    ...original,
    query: explained(original, false).query,
    transaction: (work) => original.transaction((tx) => work(explained(tx, true))),
  };
  try {
    await run();
  } finally {
    ctx.db = original;
  }
  return out;
}

export function formatExplain(bed: Bed, explained: Map<string, Explained>): string {
  const head = ['statement', 'plan ms', 'exec ms', 'client ms', 'client − engine'];
  const body = [...explained].map(([name, e]) => {
    const plan = percentile(e.planMs, 50);
    const exec = percentile(e.execMs, 50);
    const client = percentile(e.clientMs, 50);
    return [name, plan.toFixed(3), exec.toFixed(3), client.toFixed(3), (client - plan - exec).toFixed(3)];
  });
  const sum = (i: number) => body.reduce((acc, r) => acc + Number(r[i]), 0).toFixed(3);
  body.push(['sum', sum(1), sum(2), sum(3), sum(4)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [
    `${bed.store}: engine time per statement (EXPLAIN ANALYZE in a rolled-back savepoint, then the real statement; p50). Every statement is parsed and planned on each call.`,
    line(head),
    ...body.map(line),
  ].join('\n');
}

/** Mean microseconds of the CPU-only steps of a signed request, each run alone. */
export async function stepTimes(bed: Bed, iterations: number): Promise<Record<string, number>> {
  const [agent] = await bed.newActors(1);
  const text = JSON.stringify(bed.body);
  const jws = await signHttpRequest({ method: 'POST', path: '/v1/intents', body: text, privateKey: agent!.signer.privateKey, kid: agent!.signer.id });
  const [h, p, sig] = jws.split('.');
  const signingInput = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(sig!, 'base64url');
  const publicKey = createPublicKey({ key: { ...agent!.principal.publicJwk }, format: 'jwk' });
  if (!verifySync('sha256', signingInput, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)) throw new Error('node:crypto does not verify the JWS');
  const time = async (fn: () => unknown): Promise<number> => {
    for (let i = 0; i < Math.min(50, iterations); i++) await fn();
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) await fn();
    return ((performance.now() - t0) / iterations) * 1000;
  };
  return {
    'client: signHttpRequest (canonical JSON + SHA-256 + ES256 sign)': await time(() =>
      signHttpRequest({ method: 'POST', path: '/v1/intents', body: text, privateKey: agent!.signer.privateKey, kid: agent!.signer.id }),
    ),
    'relay: verifyCanonical (ES256 verify + canonical check)': await time(() => verifyCanonical(jws, agent!.principal.publicJwk)),
    'relay: sha256Base64url(body)': await time(() => sha256Base64url(text)),
    'relay: jwsKeyId (decode header)': await time(() => jwsKeyId(jws)),
    'relay: IntentRequest.safeParse (zod)': await time(() => IntentRequest.safeParse(JSON.parse(text))),
    // For comparison only (the relay uses WebCrypto): the same work with node:crypto's synchronous calls.
    'alt, not used: node:crypto createHash SHA-256 (sync)': await time(() => createHash('sha256').update(text).digest('base64url')),
    'alt, not used: node:crypto verify ES256 (sync, KeyObject)': await time(() => verifySync('sha256', signingInput, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)),
  };
}

/** Mean ms of the risk query for an agent with `history` approved intents in the last week. */
export async function habitsScaling(bed: Bed, histories: number[], iterations: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const history of histories) {
    const [agent] = await bed.newActors(1);
    const actor = agent!.principal;
    if (history > 0) {
      await bed.db.query(
        `INSERT INTO intents (id, wallet_id, actor_id, merchant_id, amount_minor, currency, line_items, category, channel, status, decision, created_at)
         SELECT 'int_bench_' || $1 || '_' || g, $2, $1, $3, 100, 'CNY', '[]', 'physical_goods', 'api', 'approved', '{}',
                now() - (g * interval '1 second') * (6 * 86400 / $4::int)
         FROM generate_series(1, $4::int) g`,
        [actor.id, actor.walletId, bed.merchantId, history],
      );
    }
    const input = { actorId: actor.id, walletId: actor.walletId, merchantId: bed.merchantId, currency: 'CNY', now: new Date() };
    for (let i = 0; i < 5; i++) await readHabits(bed.db, input);
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      await readHabits(bed.db, input);
      times.push(performance.now() - t0);
    }
    out.set(history, percentile(times, 50));
  }
  return out;
}

function category(url: string, functionName: string): string {
  if (functionName === '(idle)') return 'idle (waiting for the store, sockets, the client)';
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(program)') return 'V8/native, unattributed (program)';
  if (url.startsWith('wasm://')) return 'PGlite WASM (Postgres itself)';
  if (url.includes('/@electric-sql/pglite/')) return 'PGlite JS glue';
  if (/\/node_modules\/pg(-[a-z]+)?\//.test(url)) return 'pg driver';
  if (url.includes('/node_modules/jose/')) return 'jose (JWS decode/verify)';
  if (url.includes('/node_modules/zod/')) return 'zod';
  if (url.includes('/node_modules/hono/') || url.includes('/@hono/node-server/')) return 'Hono + @hono/node-server';
  if (url.includes('/node_modules/pino')) return 'pino';
  if (url.includes('/node_modules/aedes') || url.includes('/node_modules/mqtt')) return 'MQTT';
  if (url.includes('/relay/src/')) return 'relay code';
  if (url.includes('/protocol/src/')) return 'protocol code (canonical JSON, ids)';
  if (url.includes('/bench/')) return 'bench harness';
  if (url.startsWith('node:')) return 'Node core (http, net, streams, webcrypto, timers)';
  if (url === '') return `native/builtins (${functionName || 'anonymous'})`;
  return url.replace(/^.*\/node_modules\//, '').split('/')[0] ?? url;
}

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuSummary {
  wallMs: number;
  ops: number;
  file: string;
  categories: [string, number][];
  functions: [string, number][];
}

/** V8 CPU profile of this thread (the relay's) while `run` drives it. */
export async function cpuProfile(run: () => Promise<BlockResult>, file: string): Promise<CpuSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const t0 = performance.now();
    const result = await run();
    const wallMs = performance.now() - t0;
    const { profile } = (await session.post('Profiler.stop')) as {
      profile: { nodes: CpuNode[]; samples: number[]; timeDeltas: number[] };
    };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, CpuNode>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
    // Native frames (no URL) are charged to the nearest caller that has one: "jose → native run".
    const callerOf = (node: CpuNode): CpuNode | undefined => {
      for (let up = parent.get(node.id); up; up = parent.get(up.id)) if (up.callFrame.url) return up;
      return undefined;
    };
    // The profiler's own start/stop calls (node:inspector) are not the relay's work.
    const isInspector = (node: CpuNode): boolean => {
      for (let up: CpuNode | undefined = node; up; up = parent.get(up.id)) if (up.callFrame.url.startsWith('node:inspector')) return true;
      return false;
    };
    const cats = new Map<string, number>();
    const fns = new Map<string, number>();
    for (let i = 0; i < profile.samples.length; i++) {
      const node = byId.get(profile.samples[i]!)!;
      if (isInspector(node)) continue;
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      const { functionName, url, lineNumber } = node.callFrame;
      let cat = category(url, functionName);
      let where = url ? `${url.replace(/^.*\/(node_modules|work\/main)\//, '')}:${lineNumber + 1}` : 'native';
      if (!url && !functionName.startsWith('(')) {
        const caller = callerOf(node);
        if (caller) {
          cat = `${category(caller.callFrame.url, caller.callFrame.functionName)} → native`;
          where = `native, called from ${caller.callFrame.functionName || '(anonymous)'} ${caller.callFrame.url.replace(/^.*\/(node_modules|work\/main)\//, '')}:${caller.callFrame.lineNumber + 1}`;
        }
      }
      cats.set(cat, (cats.get(cat) ?? 0) + ms);
      if (functionName !== '(idle)') {
        const key = `${functionName || '(anonymous)'} ${where}`;
        fns.set(key, (fns.get(key) ?? 0) + ms);
      }
    }
    const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
    return { wallMs, ops: result.latencies.length, file, categories: sorted(cats), functions: sorted(fns).slice(0, 15) };
  } finally {
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}

export function formatCpuSummary(title: string, summary: CpuSummary): string {
  const total = summary.categories.reduce((s, [, ms]) => s + ms, 0);
  const lines = [`${title}: ${summary.ops} authorizations in ${summary.wallMs.toFixed(0)} ms; CPU profile ${summary.file}`];
  lines.push('  share  ms/auth  category');
  for (const [name, ms] of summary.categories) {
    if (ms / total < 0.005) continue;
    lines.push(`  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${(ms / summary.ops).toFixed(3).padStart(7)}  ${name}`);
  }
  lines.push('  top functions by self time (ms per authorization):');
  for (const [name, ms] of summary.functions.slice(0, 12)) lines.push(`    ${(ms / summary.ops).toFixed(3).padStart(7)}  ${name}`);
  return lines.join('\n');
}
