import { type Intent, IntentRequest, type Signer } from '@agentpay/protocol';
import { findPrincipal } from '../../relay/src/identity/principals.ts';
import type { ActorPrincipal } from '../../relay/src/identity/principals.ts';
import type { Relay } from '../../relay/src/relay.ts';
import type { Database } from '../../relay/src/store/database.ts';
import { addActor, cart, dropSchema, setMandate, setUpParties, startTestRelay, type StoreKind } from '../../relay/test/harness.ts';

/** Risk checks raised out of the way: every intent of the bench is approved by its quota. */
export const RISK_OFF = { riskMaxIntentsPerMinute: 1e9, riskAmountFactor: 1e9, riskSpendFactor: 1e9 } as const;
export const AMOUNT_MINOR = 1_00;
/** The largest budget the contract accepts: ten billion intents of 1.00 each. */
const BUDGET_MINOR = 1_000_000_000_000;
/** Rows of the floor table: one per lane, so lanes never wait on each other's row lock. */
export const FLOOR_ROWS = 64;

export type Parties = Awaited<ReturnType<typeof setUpParties>>;

export interface Agent {
  signer: Signer;
  principal: ActorPrincipal;
}

export interface Bed {
  store: StoreKind;
  relay: Relay;
  /** The relay's own store, captured at start (profiling swaps ctx.db for a while). */
  db: Database;
  parties: Parties;
  merchantId: string;
  /** Request body of every authorization. */
  body: ReturnType<typeof cart>;
  /** The same, as the relay's routes see it after validation. */
  parsed: IntentRequest;
  /** Fresh agents (or devices) with a quota mandate naming the merchant. */
  newActors(count: number, kind?: 'agent' | 'device'): Promise<Agent[]>;
  /** Read one row for update and update it: the store's floor for a write transaction. */
  floorTx(lane: number): Promise<void>;
  close(): Promise<void>;
}

export async function startBed(store: StoreKind): Promise<Bed> {
  const relay = await startTestRelay(store, { ...RISK_OFF });
  try {
    const db = relay.ctx.db;
    const parties = await setUpParties(relay);
    const merchantId = parties.merchant.record.id;
    await db.query('CREATE TABLE bench_floor (id int PRIMARY KEY, n int8 NOT NULL)');
    await db.query('INSERT INTO bench_floor (id, n) SELECT g, 0 FROM generate_series(0, $1::int - 1) g', [FLOOR_ROWS]);
    const body = cart(merchantId, AMOUNT_MINOR);

    const newActor = async (kind: 'agent' | 'device'): Promise<Agent> => {
      const actor = await addActor(relay, parties.wallet.client, kind);
      await setMandate(parties.wallet, actor.record.id, {
        kind: 'quota', budget: { minor: BUDGET_MINOR, currency: 'CNY' }, period: 'month', merchants: [merchantId],
      });
      const principal = await findPrincipal(db, actor.record.id);
      if (!principal || (principal.kind !== 'agent' && principal.kind !== 'device')) throw new Error(`no principal for ${actor.record.id}`);
      return { signer: actor.signer, principal };
    };

    return {
      store, relay, db, parties, merchantId, body,
      parsed: IntentRequest.parse(body),
      async newActors(count, kind = 'agent') {
        const out: Agent[] = [];
        // A few at a time: registration is cheap, but a burst would itself be a load test.
        for (let i = 0; i < count; i += 4) {
          out.push(...(await Promise.all(Array.from({ length: Math.min(4, count - i) }, () => newActor(kind)))));
        }
        return out;
      },
      floorTx: (lane) =>
        db.transaction(async (tx) => {
          const id = lane % FLOOR_ROWS;
          await tx.query('SELECT n FROM bench_floor WHERE id = $1 FOR UPDATE', [id]);
          await tx.query('UPDATE bench_floor SET n = n + 1 WHERE id = $1', [id]);
        }),
      close: () => dropSchema(relay),
    };
  } catch (error) {
    await dropSchema(relay).catch(() => undefined);
    throw error;
  }
}

export function checkApproved(intent: Intent | undefined): void {
  if (!intent || intent.status !== 'approved' || !intent.token) {
    throw new Error(`expected an approved intent with a token, got ${JSON.stringify(intent)}`);
  }
}
