import * as z from 'zod';
import { Intent } from './intent.ts';
import { Money } from './money.ts';

/**
 * Where one payment stands, as every view shows it (the AI Wallet's tasks and
 * records, the popup, the badge, the confirmation window). The relay derives
 * it from the intent, its token, its charge and refunds, so the views cannot
 * disagree: they read the same answer.
 */
export const PaymentState = z.enum([
  /** The agent is looking for what to buy; no payment asked yet. */
  'searching',
  /** The agent reached a checkout; the payment is being asked for. */
  'found',
  /** Held for the user's answer, before its time runs out. */
  'awaiting_you',
  /** Approved (by the user or the mandate); the merchant has not charged the token yet. */
  'approved',
  /** The merchant charged the token. */
  'paid',
  /** The user said no, or the relay declined it by the mandate or its risk checks. */
  'refused',
  /** Nobody answered in time, or the token expired unused: nothing was paid. */
  'expired',
  /** Stopped before money moved (the checkout's tab closed, the token was reversed, the agent stopped). */
  'cancelled',
  /** Charged, then refunded (wholly or in part: see the story's reason). */
  'refunded',
  /** Something went wrong; the reason says whether money moved. */
  'failed',
]);
export type PaymentState = z.infer<typeof PaymentState>;

/** States after which nothing more happens to the payment (a task that reached one has ended). */
export const FINAL_PAYMENT_STATES: ReadonlySet<PaymentState> = new Set(['paid', 'refused', 'expired', 'cancelled', 'refunded', 'failed']);

/** Words a person reads for each state, the same in every view. */
export const PAYMENT_STATE_LABELS: Record<PaymentState, string> = {
  searching: 'searching',
  found: 'found a checkout',
  awaiting_you: 'awaiting you',
  approved: 'approved, not charged yet',
  paid: 'paid',
  refused: 'refused',
  expired: 'expired',
  cancelled: 'cancelled',
  refunded: 'refunded',
  failed: 'failed',
};

/** One payment's current state, with the plain sentence that explains it. */
export const PaymentStory = z.object({
  state: PaymentState,
  /** One sentence: what happened, whether anything was paid, what to do (null when the label says it all). */
  reason: z.string().nullable(),
  /** Whether money left the user (charged and not wholly refunded). */
  moneyMoved: z.boolean(),
  /** Until when the user can answer, while awaiting_you. */
  answerBy: z.string().nullable(),
  /** When the payment reached this state. */
  at: z.string(),
});
export type PaymentStory = z.infer<typeof PaymentStory>;

/** A "bought by AI" record as `GET /v1/wallet/records` lists it. */
export const WalletRecord = Intent.omit({ token: true }).extend({
  boughtBy: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
  merchantName: z.string(),
  tokenStatus: z.string().nullable(),
  charge: z.object({ id: z.string(), amount: Money, refundedMinor: z.number() }).nullable(),
  story: PaymentStory,
});
export type WalletRecord = z.infer<typeof WalletRecord>;

/**
 * A task as `GET /v1/wallet/tasks` lists it: its latest step, its latest
 * payment (if it asked for one) and its story: the payment's story when it
 * has one, else where the agent got to. It has ended exactly when its story
 * is final.
 */
export const WalletTask = z.object({
  taskId: z.string(),
  actorId: z.string(),
  /** The last step the agent reported (null if it reported none, only asked to pay). */
  stage: z.string().nullable(),
  message: z.string().nullable(),
  /** When anything last happened to the task: a step reported or its payment's story moving on. */
  at: z.string(),
  payment: z.object({ intentId: z.string(), merchantName: z.string(), amount: Money }).nullable(),
  story: PaymentStory,
  finished: z.boolean(),
});
export type WalletTask = z.infer<typeof WalletTask>;
