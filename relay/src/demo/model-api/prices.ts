import type { Money, VendorPrice } from '@agentpay/protocol';

export const VENDOR_NAME = 'Demo Model Co.';
export const CURRENCY = 'CNY';

/** What the demo vendor registers with the relay: yuan per million tokens, prompt and reply alike. */
export const PRICES: VendorPrice[] = [
  { model: 'leaf-mini', unit: 'tokens', perMillion: { minor: 1_000_00, currency: CURRENCY } },
  { model: 'leaf-large', unit: 'tokens', perMillion: { minor: 5_000_00, currency: CURRENCY } },
];

/** The most a request to `model` may cost: its prompt and the longest reply it may get, rounded up. */
export function maxCost(model: string, tokens: number): Money {
  const price = PRICES.find((p) => p.model === model)!;
  return { minor: Math.ceil((tokens * price.perMillion.minor) / 1_000_000), currency: CURRENCY };
}
