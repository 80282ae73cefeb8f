import { IDEMPOTENCY_HEADER, type Intent, randomString, SIGNATURE_HEADER, signHttpRequest } from '@agentpay/protocol';
import type { Hono } from 'hono';
import { runCommand } from '../../relay/src/idempotency/command.ts';
import { createIntent } from '../../relay/src/intents/create.ts';
import { type Row, row, type Sample } from '../lib/stats.ts';
import type { TsWorker } from '../lib/worker.ts';
import type { HttpLoadRequest, HttpLoadResult } from './http-load.ts';
import { type Agent, type Bed, checkApproved } from './setup.ts';

/** Fresh agents per lane and block: enough that no agent's history grows large within a block. */
export const AGENTS_PER_LANE = 2;
const PATH = '/v1/intents';

export interface BlockResult {
  elapsedMs: number;
  latencies: ArrayLike<number>;
  /** HTTP only: client-side time before fetch (signing). */
  signing?: ArrayLike<number>;
  /** HTTP only: busy time of the client worker's event loop. */
  workerActiveMs?: number;
}

/**
 * One way of doing the same unit of work. `prepare` runs untimed (fresh
 * agents, pre-signed requests); the returned function is the timed part.
 */
export interface Kind {
  /** Short name used in row names. */
  name: string;
  label: string;
  prepare(bed: Bed, lanes: number, perLane: number): Promise<() => Promise<BlockResult>>;
}

/** Runs `lanes` sequential loops of `perLane` operations each, all at once. */
export async function lanesOf(lanes: number, perLane: number, op: (lane: number, i: number) => Promise<void>): Promise<BlockResult> {
  const latencies = new Float64Array(lanes * perLane);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = 0; i < perLane; i++) {
        const t0 = performance.now();
        await op(lane, i);
        latencies[lane * perLane + i] = performance.now() - t0;
      }
    }),
  );
  return { elapsedMs: performance.now() - started, latencies };
}

/** The agent lane `lane` uses for its `i`-th operation. */
function agentFor(agents: Agent[], lanes: number, lane: number, i: number): Agent {
  const perLane = agents.length / lanes;
  return agents[lane * perLane + (i % perLane)]!;
}

export const floorKind: Kind = {
  name: 'floor',
  label: 'store floor: BEGIN; SELECT … FOR UPDATE; UPDATE; COMMIT',
  async prepare(bed, lanes, perLane) {
    return () => lanesOf(lanes, perLane, (lane) => bed.floorTx(lane));
  },
};

/** runCommand + createIntent called directly: the authorization's store work, no signature, no HTTP. */
export const serviceKind: Kind = {
  name: 'service',
  label: 'authorization, services called directly (idempotency + nonce + createIntent, one transaction)',
  async prepare(bed, lanes, perLane) {
    const agents = await bed.newActors(lanes * AGENTS_PER_LANE);
    const ctx = bed.relay.ctx;
    return () =>
      lanesOf(lanes, perLane, async (lane, i) => {
        const actor = agentFor(agents, lanes, lane, i).principal;
        const meta = { principal: actor.id, idempotencyKey: `idem_${randomString(24)}`, requestHash: randomString(43), nonce: randomString(24) };
        const result = await runCommand(ctx, meta, async (tx, outbox) => ({
          status: 201,
          body: await createIntent(ctx, tx, outbox, actor, bed.parsed),
        }));
        checkApproved(result.body as Intent);
      });
  },
};

/** Signed requests pre-signed before the clock starts, handed to the Hono app without a socket. */
export function inProcessKind(app: Hono): Kind {
  return {
    name: 'in-process',
    label: 'authorization through app.request (signature verify, zod, Hono, store), pre-signed, no socket',
    async prepare(bed, lanes, perLane) {
      const agents = await bed.newActors(lanes * AGENTS_PER_LANE);
      const text = JSON.stringify(bed.body);
      const requests: { headers: Record<string, string> }[] = [];
      for (let lane = 0; lane < lanes; lane++) {
        for (let i = 0; i < perLane; i++) {
          const { signer } = agentFor(agents, lanes, lane, i);
          requests.push({
            headers: {
              'content-type': 'application/json',
              [IDEMPOTENCY_HEADER]: `idem_${randomString(24)}`,
              [SIGNATURE_HEADER]: await signHttpRequest({ method: 'POST', path: PATH, body: text, privateKey: signer.privateKey, kid: signer.id }),
            },
          });
        }
      }
      return () =>
        lanesOf(lanes, perLane, async (lane, i) => {
          const response = await app.request(`http://relay.local${PATH}`, { method: 'POST', headers: requests[lane * perLane + i]!.headers, body: text });
          const intent = (await response.json()) as Intent;
          if (response.status !== 201) throw new Error(`in-process POST ${PATH} answered ${response.status}: ${JSON.stringify(intent)}`);
          checkApproved(intent);
        });
    },
  };
}

/** The real thing: RelayHttpClient (signing included) in a worker thread, against relay.httpUrl. */
export function httpKind(worker: TsWorker): Kind {
  return {
    name: 'HTTP',
    label: 'authorization over HTTP: RelayHttpClient in a worker thread signs and POSTs /v1/intents',
    async prepare(bed, lanes, perLane) {
      const agents = await bed.newActors(lanes * AGENTS_PER_LANE);
      // The worker's lane j takes signers j, j + lanes, ...: reorder so that it gets this lane's agents.
      const signers = Array.from({ length: agents.length }, (_, k) => {
        const lane = k % lanes;
        const nth = Math.floor(k / lanes);
        return agents[lane * AGENTS_PER_LANE + nth]!.signer;
      });
      return async () => {
        const result = await worker.call<HttpLoadResult>({
          type: 'run', baseUrl: bed.relay.httpUrl, signers, lanes, perLane, path: PATH, body: bed.body,
        } satisfies HttpLoadRequest);
        if (result.errors > 0) throw new Error(`${result.errors} HTTP authorizations failed; first: ${result.firstError}`);
        return result;
      };
    },
  };
}

/** The floor's rows, as every relay suite prints them beside what it measured. */
export function floorRows(prefix: string, floor: Sample): Row[] {
  return [
    row(`${prefix} floor tx (SELECT FOR UPDATE + UPDATE)`, 'tx/s', floor.rate),
    row(`${prefix} floor tx p50`, 'ms', floor.percentile(50)),
    row(`${prefix} floor tx p99`, 'ms', floor.percentile(99)),
  ];
}
