import type { Charge, Intent } from '@agentpay/protocol';

/** What a client was told about one intent: the answer to its idempotency key (or device requestId). */
export interface ToldIntent {
  key: string;
  actorId: string;
  id: string;
  status: Intent['status'];
  amountMinor: number;
  tokenId: string | null;
  tokenSecret: string | null;
}

/** What a merchant was told about one charge. */
export interface ToldCharge {
  key: string;
  id: string;
  tokenId: string;
  intentId: string;
  amountMinor: number;
}

/**
 * Everything the clients of a crash run were told, as they would remember it,
 * and every way an answer contradicted an earlier one. The audit compares this
 * with what the store holds once the run is over.
 */
export class Witness {
  readonly intents = new Map<string, ToldIntent>();
  readonly intentByKey = new Map<string, string>();
  readonly charges = new Map<string, ToldCharge>();
  readonly chargeByToken = new Map<string, string>();
  readonly discrepancies: string[] = [];
  /** Requests sent again after no answer, a dropped connection or a 5xx. */
  retries = 0;
  /** Why requests had to be sent again: `connection failed`, `timeout`, `503 store_unavailable`, … */
  readonly failures: Record<string, number> = {};
  /** Answers to a key already answered, checked against the first. */
  replays = 0;
  /** Held intents that the wallet's approval moved on to approved. */
  heldApproved = 0;
  /** Second charges of a charged token with a new key, refused as they must be. */
  secondChargesRefused = 0;

  /** An answer to an intent request; a second answer to the same key must be the same intent and token. */
  toldIntent(key: string, actorId: string, intent: Intent): void {
    const told: ToldIntent = {
      key, actorId, id: intent.id, status: intent.status, amountMinor: intent.amount.minor,
      tokenId: intent.token?.id ?? null, tokenSecret: intent.token?.secret ?? null,
    };
    const earlier = this.intentByKey.get(key);
    if (earlier !== undefined) {
      this.replays++;
      const first = this.intents.get(earlier)!;
      if (first.id !== told.id || first.tokenId !== told.tokenId || first.tokenSecret !== told.tokenSecret || first.status !== told.status) {
        this.discrepancy(`key ${key} answered ${describe(first)} first and ${describe(told)} later`);
      }
      return;
    }
    const other = this.intents.get(told.id);
    if (other) this.discrepancy(`keys ${other.key} and ${key} were both answered with intent ${told.id}`);
    if (told.status === 'approved' && !told.tokenId) this.discrepancy(`intent ${told.id} (key ${key}) approved without a token`);
    this.intents.set(told.id, told);
    this.intentByKey.set(key, told.id);
  }

  /**
   * A later word on an intent already answered (read again, or the wallet's
   * approval): a held intent may move on once; an answered token never changes.
   */
  toldUpdate(intent: Intent): void {
    const told = this.intents.get(intent.id);
    if (!told) {
      this.discrepancy(`intent ${intent.id} (${intent.status}) read before any client was told of it`);
      return;
    }
    const tokenId = intent.token?.id ?? null;
    if (told.status !== intent.status && told.status !== 'pending_confirmation') {
      this.discrepancy(`intent ${intent.id} was ${told.status} and is now ${intent.status}`);
    }
    if (told.tokenId && tokenId && told.tokenId !== tokenId) this.discrepancy(`intent ${intent.id} had token ${told.tokenId} and now ${tokenId}`);
    if (told.status === 'pending_confirmation' && intent.status === 'approved') this.heldApproved++;
    told.status = intent.status;
    if (tokenId) {
      told.tokenId = tokenId;
      told.tokenSecret = intent.token!.secret;
    }
  }

  /** A charge's success; a token answered with two different charges is charged twice. */
  toldCharge(key: string, charge: Charge): void {
    const earlier = this.chargeByToken.get(charge.tokenId);
    if (earlier !== undefined && earlier !== charge.id) {
      this.discrepancy(`token ${charge.tokenId} charged twice: ${earlier} and ${charge.id} (key ${key})`);
    }
    const first = this.charges.get(charge.id);
    if (first) {
      this.replays++;
      if (first.tokenId !== charge.tokenId || first.amountMinor !== charge.amount.minor) {
        this.discrepancy(`charge ${charge.id} answered for token ${first.tokenId} (${first.amountMinor}) and later for ${charge.tokenId} (${charge.amount.minor})`);
      }
      return;
    }
    this.charges.set(charge.id, { key, id: charge.id, tokenId: charge.tokenId, intentId: charge.intentId, amountMinor: charge.amount.minor });
    this.chargeByToken.set(charge.tokenId, charge.id);
  }

  /** A request that must be sent again, and why. */
  failed(why: string): void {
    this.retries++;
    this.failures[why] = (this.failures[why] ?? 0) + 1;
  }

  discrepancy(what: string): void {
    this.discrepancies.push(what);
  }
}

function describe(told: ToldIntent): string {
  return `${told.id} (${told.status}, token ${told.tokenId ?? 'none'})`;
}
