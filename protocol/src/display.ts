/**
 * What every view shows of money and of a payment's state, with no schema library: the
 * confirmation window imports only this (as `@agentpay/protocol/display`), so it opens without
 * building the contract's schemas first. money.ts and payment-story.ts re-export it all.
 */

/** Largest amount the contract accepts, in minor units; keeps sums far from 2^53. */
export const MAX_MINOR = 1_000_000_000_000;

/** Minor-unit exponents that differ from the usual 2 (ISO 4217). */
const EXPONENTS: Record<string, number> = {
  JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, UGX: 0, XAF: 0, XOF: 0, PYG: 0,
  BHD: 3, JOD: 3, KWD: 3, OMR: 3, TND: 3, IQD: 3, LYD: 3,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/** Human form for logs and read-backs, e.g. `35.00 CNY`. */
export function formatMoney(money: { minor: number; currency: string }): string {
  const exponent = currencyExponent(money.currency);
  const major = exponent === 0 ? String(money.minor) : (money.minor / 10 ** exponent).toFixed(exponent);
  return `${major} ${money.currency}`;
}

/**
 * Integer minor units as the decimal string the W3C Payment Request API takes
 * (`amount.value`), built from digits rather than by dividing a float, so it
 * is exact: 1234 CNY → "12.34", 5 CNY → "0.05", 1200 JPY → "1200", 1234 KWD → "1.234".
 */
export function minorToDecimal(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0 || minor > MAX_MINOR) {
    throw new RangeError(`minor must be a non-negative integer up to ${MAX_MINOR}, got ${minor}`);
  }
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * The inverse, for reading a Payment Request back: refuses more decimals than
 * the currency has (12.345 CNY is not an amount) instead of rounding. For
 * amounts typed or shown to people, wallets use their own, more forgiving readers.
 */
export function decimalToMinor(value: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) throw new RangeError(`"${value}" is not a non-negative decimal amount`);
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) throw new RangeError(`"${value}" has more than ${exponent} decimals, the most ${currency} has`);
  const minor = Number(match[1]! + fraction.padEnd(exponent, '0'));
  if (!Number.isSafeInteger(minor) || minor > MAX_MINOR) throw new RangeError(`"${value}" is too large`);
  return minor;
}

/**
 * Where one payment stands, as every view shows it (the AI Wallet's tasks and
 * records, the popup, the badge, the confirmation window). The relay derives
 * it from the intent, its token, its charge and refunds, so the views cannot
 * disagree: they read the same answer.
 */
export const PAYMENT_STATES = [
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
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

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
