import * as z from 'zod';

/**
 * A merchant as the wallet's own pages name it: `GET /v1/wallet/merchants`
 * lists those this wallet has paid or been asked to pay, and those its
 * mandates name, so a person picks a shop by its name instead of typing an id.
 */
export const WalletMerchant = z.object({
  id: z.string(),
  name: z.string(),
  /** Sites where the relay fetched the merchant's signed proof: the origins its checkout really runs at. */
  provenSites: z.array(z.string()),
});
export type WalletMerchant = z.infer<typeof WalletMerchant>;

/** `GET /v1/wallet/merchants`: by name, A to Z. */
export const WalletMerchants = z.object({ merchants: z.array(WalletMerchant) });
export type WalletMerchants = z.infer<typeof WalletMerchants>;
