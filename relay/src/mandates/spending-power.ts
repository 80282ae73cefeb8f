import type { MandateDocument, SpendingPower } from '@agentpay/protocol';
import type { ActorPrincipal } from '../identity/principals.ts';
import { describeMandate } from '../intents/mandate-words.ts';
import type { Queryable } from '../store/database.ts';
import { nextPeriodStart, periodStart } from './clock.ts';
import { quotaSpent } from './quota.ts';

/**
 * What `actor` may spend now, by its current mandate: the mandate in the wallet's words, whether
 * it pays without asking the user, and a budget's spent, left and renewal. Read in one snapshot of
 * the actor and its mandate; a payment decided meanwhile may already have spent more.
 */
export async function spendingPower(db: Queryable, actor: ActorPrincipal, now: Date): Promise<SpendingPower> {
  const [row] = await db.query<{ id: string; kind: 'agent' | 'device'; name: string; status: 'active' | 'paused' | 'revoked'; wallet_id: string; mandate_id: string | null; document: MandateDocument | null }>(
    `SELECT a.id, a.kind, a.name, a.status, a.wallet_id, m.id AS mandate_id, m.document
     FROM actors a LEFT JOIN mandates m ON m.actor_id = a.id AND m.superseded_at IS NULL
     WHERE a.id = $1`,
    [actor.id],
  );
  const self = { id: row!.id, kind: row!.kind, name: row!.name, status: row!.status, walletId: row!.wallet_id };
  if (!row!.mandate_id || !row!.document) return { actor: self, mandate: null };
  const document = row!.document;
  const words = await describeMandate(db, actor.id, document, now);
  const active = row!.status === 'active';
  if (document.kind !== 'quota') {
    return { actor: self, mandate: { id: row!.mandate_id, kind: document.kind, description: words.description, paysWithoutAsking: active && document.kind === 'rules', budget: null } };
  }
  const start = periodStart(now, document.period, document.timeZone);
  const spent = await quotaSpent(db, actor.id, start, document.budget.currency);
  const { currency } = document.budget;
  const left = Math.max(document.budget.minor - spent, 0);
  return {
    actor: self,
    mandate: {
      id: row!.mandate_id,
      kind: 'quota',
      description: words.description,
      paysWithoutAsking: active && left > 0,
      budget: {
        limit: document.budget,
        spent: { minor: spent, currency },
        left: { minor: left, currency },
        period: document.period,
        renewsAt: nextPeriodStart(start, document.period, document.timeZone).toISOString(),
      },
    },
  };
}
