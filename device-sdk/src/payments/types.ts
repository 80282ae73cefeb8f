import type { Category, LineItem, Money, TokenGrant } from '@agentpay/protocol';

/** The merchant as the device names it to the user and to the relay. */
export interface MerchantRef {
  /** The relay's merchant id (`mer_…`). */
  id: string;
  /** What the device says or shows: "Stadium Parking". */
  name: string;
}

/** What the device asks the relay to pay. */
export interface PaymentRequest {
  merchant: MerchantRef;
  amount: Money;
  category: Category;
  /** How it started: by voice or by a scanned code. */
  channel: 'device-voice' | 'device-scan';
  /** Defaults to one line named after the merchant for the whole amount. */
  lineItems?: LineItem[];
  description?: string;
  /** The merchant's order or session reference, when the code carried one (for `deliverToken`). */
  reference?: string;
  /** When the user asked. The relay refuses a payment asked for more than 10 minutes before it arrives. Default: now. */
  askedAt?: Date;
  /** What the device gathered, e.g. the voice transcripts that asked and confirmed. */
  evidence?: Record<string, string>;
  /** Where the token goes once granted (a signed merchant code's notify URL and order reference). */
  notify?: { url: string; reference: string };
  /** The task this payment belongs to on the wallet's timeline; default a new one. */
  taskId?: string;
  /**
   * Idempotency key; default a new one. The SDK resends a queued request with it by itself; the queue lives
   * in memory, so a payment queued when the device restarts is lost (the user asks again).
   */
  requestId?: string;
}

/**
 * Where a payment stands, as the device tells its user:
 * - `held`: waiting for the user (a spoken "confirm", or an approval in the wallet);
 * - `paid`: the relay granted a single-use token and it went to the merchant;
 * - `refused`: the mandate, the relay or the user said no; `reason` says why.
 */
export type PaymentStatus = 'paid' | 'held' | 'refused';

export interface PaymentResult {
  status: PaymentStatus;
  merchant: MerchantRef;
  amount: Money;
  requestId: string;
  taskId: string;
  /** The relay's intent id, once the relay has answered. */
  intentId: string | null;
  /** A sentence the device can speak: why it was held or refused. Null when paid. */
  reason: string | null;
  /** Machine-readable cause of a refusal: the relay's error code, `declined`, `cancelled`, … */
  code: string | null;
}

/**
 * Gives the merchant the token, e.g. the parking gate's API. Throw to report
 * that the merchant did not take it; the payment is then refused (the unused
 * token expires on its own and charges nothing).
 */
export type DeliverToken = (delivery: { token: TokenGrant; request: PaymentRequest; intentId: string }) => Promise<void>;
