import { formatMoney, type TopUp, type VendorPrice, type WalletCredits } from '@agentpay/protocol';

/** One vendor's credits as GET /v1/wallet/credits answers them. */
export type VendorCredits = WalletCredits['credits'][number];

/** Usage a vendor settled without naming a model. */
export const NO_MODEL = 'no model named';
export const modelLabel = (model: string | null) => model ?? NO_MODEL;

/** "tea-large: 30.00 CNY per million tokens". */
export const priceText = (price: VendorPrice) => `${price.model}: ${formatMoney(price.perMillion)} per million ${price.unit}`;

/** Who decided to buy: the user's automatic setting, or the agent itself. */
export const topUpHow = (topUp: TopUp) => (topUp.automatic ? 'automatic' : 'asked by the agent');

/** Where a top-up stands, in words; a failed one says why. */
export function topUpStatusText(topUp: TopUp): string {
  switch (topUp.status) {
    case 'paid':
      return 'paid';
    case 'held':
      return 'waiting for your approval';
    case 'pending':
      return 'being decided';
    case 'failed':
      return topUp.reason ? `failed: ${topUp.reason}` : 'failed';
  }
}

/** "3 May" for the UTC day "2026-05-03" (the relay counts usage by UTC day). */
export function dayLabel(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(date);
}

/** "12.00 CNY", with "(1.00 CNY reserved for requests being served)" when some is set aside. */
export function balanceText(credits: Pick<VendorCredits, 'balance' | 'reserved'>): string {
  const reserved = credits.reserved.minor > 0 ? ` (${formatMoney(credits.reserved)} of it reserved for requests being served)` : '';
  return `${formatMoney(credits.balance)}${reserved}`;
}

/** "When the balance falls below 5.00 CNY, Shopping agent buys 10.00 CNY more under its mandate." */
export function autoTopUpSentence(setting: VendorCredits['autoTopUp']): string {
  if (!setting) return 'Automatic top-up is off: credits are bought only when an agent asks.';
  return `When the balance falls below ${formatMoney(setting.threshold)}, ${setting.agent.name} buys ${formatMoney(setting.amount)} more under its mandate.`;
}

/** Whether the balance is below the threshold the user set (a top-up failed, or waits for approval). */
export const belowThreshold = (credits: VendorCredits) =>
  credits.autoTopUp !== null && credits.balance.minor < credits.autoTopUp.threshold.minor;
