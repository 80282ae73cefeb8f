import type { PaymentStory } from '@agentpay/protocol';
import type { IntentRow } from '../intents/model.ts';
import { type PaymentFacts, paymentStory } from './story.ts';

/**
 * The columns a payment's story needs, to add to a query over `intents i`
 * joined with `merchants m`, `tokens t` (LEFT, on t.intent_id = i.id) and
 * `charges c` (LEFT, on c.token_id = t.id).
 */
export const STORY_COLUMNS = `
  m.name AS merchant_name, t.status AS token_status, t.expires_at AS token_expires_at, t.used_at AS token_used_at,
  c.id AS charge_id, c.amount_minor AS charged_minor, c.refunded_minor, c.created_at AS charged_at,
  (SELECT max(r.created_at) FROM refunds r WHERE r.charge_id = c.id) AS last_refund_at,
  f.message AS failure_message, f.at AS failure_at`;

/** The joins STORY_COLUMNS reads from, after `FROM intents i`. */
export const STORY_JOINS = `
  JOIN merchants m ON m.id = i.merchant_id
  LEFT JOIN tokens t ON t.intent_id = i.id
  LEFT JOIN charges c ON c.token_id = t.id
  LEFT JOIN LATERAL (
    SELECT p.message, p.at FROM progress_events p
    WHERE i.task_id IS NOT NULL AND p.wallet_id = i.wallet_id AND p.task_id = i.task_id AND p.stage = 'failed'
      AND i.status = 'approved' AND p.at >= COALESCE(i.approved_at, i.answered_at, i.created_at)
    ORDER BY p.id DESC LIMIT 1
  ) f ON true`;

/** An intents row with the story columns. */
export interface StoryRow extends IntentRow {
  answered_at: Date | null;
  approved_at: Date | null;
  ended_reason: string | null;
  merchant_name: string;
  token_status: NonNullable<PaymentFacts['token']>['status'] | null;
  token_expires_at: Date | null;
  token_used_at: Date | null;
  charge_id: string | null;
  charged_minor: number | null;
  refunded_minor: number | null;
  charged_at: Date | null;
  last_refund_at: Date | null;
  failure_message: string | null;
  failure_at: Date | null;
}

const date = (value: Date | string) => (value instanceof Date ? value : new Date(value));
const maybeDate = (value: Date | string | null) => (value === null ? null : date(value));

/** The facts of one row, as paymentStory takes them. */
export function factsOf(r: StoryRow): PaymentFacts {
  return {
    status: r.status,
    decision: r.decision,
    amount: { minor: Number(r.amount_minor), currency: r.currency },
    merchantName: r.merchant_name,
    createdAt: date(r.created_at),
    confirmBy: maybeDate(r.confirm_by),
    answeredAt: maybeDate(r.answered_at),
    approvedAt: maybeDate(r.approved_at),
    endedReason: r.ended_reason,
    token: r.token_status ? { status: r.token_status, expiresAt: date(r.token_expires_at!), usedAt: maybeDate(r.token_used_at) } : null,
    charge: r.charge_id
      ? { minor: Number(r.charged_minor), refundedMinor: Number(r.refunded_minor), at: date(r.charged_at!), lastRefundAt: maybeDate(r.last_refund_at) }
      : null,
    failure: r.failure_at ? { message: r.failure_message, at: date(r.failure_at) } : null,
  };
}

/** The story of one row against the relay's clock. */
export const storyOf = (r: StoryRow, now: Date): PaymentStory => paymentStory(factsOf(r), now);
