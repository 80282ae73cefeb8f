import * as z from 'zod';
import { Intent } from './intent.ts';
import { Money } from './money.ts';
import { PAYMENT_STATES } from './display.ts';

export { FINAL_PAYMENT_STATES, PAYMENT_STATE_LABELS } from './display.ts';

/** Where one payment stands (display.ts says what each state means). */
export const PaymentState = z.enum(PAYMENT_STATES);
export type PaymentState = z.infer<typeof PaymentState>;

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
  /** The agent asked the user to refund it: why and when (null: it never asked). */
  refundAsked: z.object({ reason: z.string(), at: z.string() }).nullable(),
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
