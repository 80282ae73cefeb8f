import type { PendingCheckout } from '../shared/state.ts';

export interface MerchantNote {
  code: 'origin_unproven' | 'lookalike_name';
  text: string;
}

/**
 * What the window says about whom a held payment goes to, before anything else:
 * the site the browser saw and whether the merchant proved it is its own, then
 * warnings. A name can be copied or imitated (Cyrillic "е" for "e", "rn" for "m"),
 * a proven origin cannot, so the site comes first and a name that the relay found
 * looking like an established merchant's is called out with that merchant's sites.
 */
export function merchantNotes(checkout: Pick<PendingCheckout, 'origin' | 'confirmation'>): { site: string; siteProven: boolean; warnings: MerchantNote[] } {
  const { merchant } = checkout.confirmation;
  const siteProven = merchant.provenOrigins.includes(checkout.origin);
  const warnings: MerchantNote[] = [];
  if (!siteProven) {
    const proven = merchant.provenOrigins.length > 0 ? `it has proven only ${merchant.provenOrigins.join(', ')}` : 'it has proven no site at all';
    warnings.push({ code: 'origin_unproven', text: `${checkout.origin} is not a site "${merchant.name}" has proven as its own: ${proven}.` });
  }
  for (const other of merchant.lookalikes) {
    const where = other.provenOrigins.length > 0 ? ` at ${other.provenOrigins.join(', ')}` : '';
    warnings.push({
      code: 'lookalike_name',
      text: `"${merchant.name}" looks like the name of another merchant, "${other.name}"${where}. Make sure you mean to pay this one.`,
    });
  }
  return { site: checkout.origin, siteProven, warnings };
}
