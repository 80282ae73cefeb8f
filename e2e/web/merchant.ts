import { type Charge, generateSigningKey, type MerchantRegistered, type Money, ProtocolError, RelayHttpClient, signOriginProof } from '@agentpay/protocol';
import type { ChargeRecord, Ledger } from './ledger.ts';
import type { Site } from './site.ts';

/** Card details as the relay's merchant API takes them. */
export interface CardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/** What a merchant (or the provider holding its key) charges: one order of one page. */
export interface ChargeAsk {
  pageId: string;
  orderId: string;
  amount: Money;
  card?: CardDetails;
  token?: string;
}

/** A merchant registered with the relay: its id, its proven origins, and a way to charge that records the outcome. */
export interface MerchantAccount {
  name: string;
  merchant: MerchantRegistered;
  /** POST /v1/merchant/charges signed with the merchant's key; resolves to 'paid' or the relay's refusal code. */
  charge(ask: ChargeAsk, by: Site): Promise<{ paid: true; chargeId: string } | { paid: false; code: string; message: string }>;
}

/**
 * Registers a merchant under a fresh key for `sites`, each of which serves
 * the signed proof that its origin is this merchant's, as the relay checks.
 */
export async function registerMerchant(relayUrl: string, name: string, sites: Site[], ledger: Ledger): Promise<MerchantAccount> {
  const { privateKey, publicJwk } = await generateSigningKey();
  for (const site of sites) site.proveWith(await signOriginProof(site.origin, { privateKey, publicJwk }));
  const self = new RelayHttpClient(relayUrl, { id: 'self', privateKey });
  const merchant = await self.post<MerchantRegistered>(
    '/v1/merchants', { name, publicKey: publicJwk, origins: sites.map((s) => s.origin) },
  );
  const unproven = merchant.originChecks.filter((check) => !check.proven);
  if (unproven.length) throw new Error(`${name}: the relay did not accept its origins: ${JSON.stringify(unproven)}`);
  const client = new RelayHttpClient(relayUrl, { id: merchant.id, privateKey });

  return {
    name,
    merchant,
    async charge(ask, by) {
      const record: Omit<ChargeRecord, 'outcome' | 'detail'> = {
        site: by.label, merchant: name, pageId: ask.pageId, orderId: ask.orderId, amount: ask.amount,
        with: ask.card ? { card: ask.card.number } : { token: true },
      };
      const body = ask.card
        ? { card: ask.card, amount: ask.amount, reference: ask.orderId }
        : { token: ask.token, amount: ask.amount, reference: ask.orderId };
      try {
        // No idempotency key of ours: each request a page sends is charged as it comes, so a page paying twice shows.
        const charge = await client.post<Charge>('/v1/merchant/charges', body);
        ledger.charges.push({ ...record, outcome: 'paid', detail: charge.id });
        return { paid: true, chargeId: charge.id };
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        const { code, message } = error;
        ledger.charges.push({ ...record, outcome: 'refused', detail: `${code}: ${message}` });
        return { paid: false, code, message };
      }
    },
  };
}
