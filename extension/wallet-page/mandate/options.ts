import { Category, CATEGORY_LABELS, Channel, CHANNEL_LABELS, type WalletMerchant } from '@agentpay/protocol';
import type { Option } from './choices.tsx';

/** Every category by its name, in the protocol's order. */
export const CATEGORY_OPTIONS: Option<Category>[] = Category.options.map((value) => ({ value, label: CATEGORY_LABELS[value] }));

/** Every way a payment can be started, by its name. */
export const CHANNEL_OPTIONS: Option<Channel>[] = Channel.options.map((value) => ({ value, label: CHANNEL_LABELS[value] }));

/** Days of the week as the protocol counts them (0 = Sunday), listed from Monday. */
export const DAY_OPTIONS: Option<string>[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map((label, i) => ({
  value: String((i + 1) % 7),
  label,
}));

/**
 * The merchants this wallet knows, by name with their proven site; a merchant
 * a mandate names that the list lacks still shows, said to be unknown, so
 * it can be unticked.
 */
export function merchantOptions(merchants: readonly WalletMerchant[], picked: readonly string[]): Option<string>[] {
  const known: Option<string>[] = merchants.map((m) => ({
    value: m.id,
    label: m.name,
    ...(m.provenSites.length ? { detail: m.provenSites.map((s) => new URL(s).host).join(', ') } : { detail: 'no proven site yet' }),
  }));
  const unknown = picked.filter((id) => !merchants.some((m) => m.id === id)).map((id) => ({ value: id, label: `A shop this wallet does not know (${id})` }));
  return [...known, ...unknown];
}

/** The time zones the browser knows, for the time zone fields to suggest. */
export function timeZoneNames(): string[] {
  return typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
}

export const NO_MERCHANTS_YET = 'No shops yet: once an agent pays or asks to pay a shop, it appears here by name.';
