import { Category, LineItem, Money } from '@agentpay/protocol';
import * as z from 'zod';
import { DecimalAmount, PagePayment } from './page-messages.ts';
import { type AmountRequest, type Checking, type Outcome, type PendingCheckout, Shape } from './state.ts';

/** What a checkout asks to pay, after the bridge validated and normalised it. */
export const CheckoutOrder = z.object({
  amount: Money,
  lineItems: z.array(LineItem).max(200),
  /** Only what the page states (structured data, the shop's payment data): absent, the relay takes the merchant's default. */
  category: Category.optional(),
  description: z.string().max(500),
  reference: z.string().max(120).optional(),
  /** The merchant the page claims to be; checked against the relay's record for this origin. */
  merchantId: z.string().max(64).optional(),
});
export type CheckoutOrder = z.infer<typeof CheckoutOrder>;

/** Content script → background. The sender's tab and origin come from the browser, not from here. */
export const ContentMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('checkout.begin'),
    checkoutId: z.string().min(1).max(64),
    // A page's checkout is never a remote agent's: that shape is the background's own.
    shape: Shape.exclude(['remote-agent']),
    /** Absent for card checkouts: the background asks the top page of the tab, which shows the order. */
    order: CheckoutOrder.optional(),
    /** Card checkouts: where the held card was going (a form's action or a request's origin). */
    card: z
      .object({
        destination: z.string().max(300),
        /**
         * A card held in the top page: the order it shows, read when the card was held without knowing
         * the merchant's currency (the background reads it again when that currency tells otherwise).
         */
        shownOrder: CheckoutOrder.optional(),
      })
      .optional(),
    agent: z.object({ name: z.string().trim().min(1).max(120) }).optional(),
    automation: z.boolean(),
  }),
  /** A payment code the bridge found in a QR image on the page. */
  z.object({ type: z.literal('qr.begin'), checkoutId: z.string().min(1).max(64), imageUrl: z.string().max(2_000_000), automation: z.boolean() }),
  /** Should this page hold checkouts although it is not automated? */
  z.object({ type: z.literal('tab.watch?') }),
  /** The page talks to the wallet: inject the full bridge into this frame. */
  z.object({ type: z.literal('bridge.load') }),
]);
export type ContentMessage = z.infer<typeof ContentMessage>;

/** The background's answer to `qr.begin`, once it has read the image: was it a payment code at all? */
export interface QrAnswer {
  paymentCode: boolean;
}

export const CheckoutError = z.object({ code: z.string(), message: z.string() });
export type CheckoutError = z.infer<typeof CheckoutError>;

/** Background → content script, once a checkout is decided. */
export const SettledMessage = z.object({
  type: z.literal('checkout.settled'),
  checkoutId: z.string(),
  result: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), payment: PagePayment }),
    z.object({ ok: z.literal(false), error: CheckoutError }),
  ]),
});
export type SettledMessage = z.infer<typeof SettledMessage>;

/** Background → the top frame's bridge: read the order this tab's page shows (for a card held in any of its frames). */
export const ReadOrderMessage = z.object({
  type: z.literal('order.read'),
  /** The held form, when it is in this frame: the total nearest it counts. */
  checkoutId: z.string().optional(),
  /** Currencies the merchant is known to use, to tell ¥, $ and kr apart. */
  currencies: z.array(z.string()),
  /** The origin of the frame the card was held in, when not this one: the total nearest its iframe counts. */
  cardFrameOrigin: z.string().optional(),
});
export type ReadOrderMessage = z.infer<typeof ReadOrderMessage>;

/** Extension pages → background; refused from any other sender. */
export const PageCommand = z.discriminatedUnion('type', [
  /** The confirmation window answered an intent at the relay; finish the checkout. */
  z.object({ type: z.literal('confirmation.answered'), intentId: z.string(), decision: z.enum(['approve', 'deny']) }),
  /** The popup hands the active tab to an agent. */
  z.object({ type: z.literal('tab.hand'), tabId: z.number(), agentName: z.string().trim().min(1).max(120) }),
  /** The confirmation window is closing itself, its queue empty: that is no rejection. */
  z.object({ type: z.literal('confirm.closing') }),
  /** The toolbar menu brings the confirmation window forward. */
  z.object({ type: z.literal('confirm.open') }),
  /** The user said what a checkout without a readable total costs (a decimal string, as typed). */
  z.object({ type: z.literal('amount.given'), checkoutId: z.string(), amount: DecimalAmount }),
  /** The user would not say, or rejected the checkout. */
  z.object({ type: z.literal('amount.refused'), checkoutId: z.string() }),
  /** The window's countdown reached zero: end the request if its time has really run out. */
  z.object({ type: z.literal('request.expired'), intentId: z.string() }),
  /** The user chose "Reject all" in the window: every held payment and asked amount is rejected. */
  z.object({ type: z.literal('confirm.rejectAll') }),
  /** The user saw an outcome and closed it. */
  z.object({ type: z.literal('outcome.dismiss'), id: z.string() }),
  /** The window asks whether the shops charged the approved payments it shows. */
  z.object({ type: z.literal('outcomes.refresh') }),
  /** The confirmation window asks what to show: the background reads the stored state and checks it. */
  z.object({ type: z.literal('confirm.state') }),
  /** The wallet page set an agent's mandate: whether its payments always ask is for the relay to say again. */
  z.object({ type: z.literal('mandate.saved'), actorId: z.string() }),
  /** The wallet page creates a browser agent whose key this extension keeps. */
  z.object({ type: z.literal('agent.create'), name: z.string().trim().min(1).max(120) }),
  /** The options page unpairs this browser; `localOnly` forgets the pairing here when the relay cannot be reached. */
  z.object({ type: z.literal('wallet.unpair'), localOnly: z.boolean().default(false) }),
]);
export type PageCommand = z.infer<typeof PageCommand>;

/** What the confirmation window shows, as the background read and checked it (`confirm.state`). */
export interface ConfirmState {
  pending: PendingCheckout[];
  amountRequests: AmountRequest[];
  outcomes: Outcome[];
  checking: Checking[];
}

export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: CheckoutError };
