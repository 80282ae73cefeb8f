import type { Merchant } from '@agentpay/protocol';
import type { RelayHttpClient } from '@agentpay/protocol';
import { CheckoutFailure } from './failure.ts';

/** The merchant the relay has registered for the origin the browser saw. */
export async function merchantForOrigin(relay: RelayHttpClient, origin: string, claimedId?: string): Promise<Merchant> {
  const { merchants } = await relay.get<{ merchants: Merchant[] }>(`/v1/merchants?origin=${encodeURIComponent(origin)}`);
  if (!claimedId && merchants.length > 1) {
    // Merchants name their own origins; when several claim this one, guessing could pay the wrong one.
    throw new CheckoutFailure('ambiguous_merchant', `${merchants.length} merchants (${merchants.map((m) => m.name).join(', ')}) say they sell at ${origin}, and this checkout does not say which it is`);
  }
  const merchant = claimedId ? merchants.find((m) => m.id === claimedId) : merchants[0];
  if (merchant) return merchant;
  if (claimedId && merchants.length) {
    throw new CheckoutFailure('merchant_mismatch', `the page asked to pay merchant ${claimedId}, but ${origin} is registered as ${merchants.map((m) => m.id).join(', ')}`);
  }
  throw new CheckoutFailure('unknown_merchant', `${origin} is not a merchant registered with your relay, so AgentPay will not pay it`);
}
