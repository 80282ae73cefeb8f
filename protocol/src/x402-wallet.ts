import type { Category, LineItem } from './intent.ts';
import type { Money } from './money.ts';
import {
  AGENTPAY_SCHEME, agentpayAccept, decodePaymentRequired, isAgentPayNetwork, decodeX402Header, encodePaymentSignature, PAYMENT_REQUIRED_HEADER, PAYMENT_SIGNATURE_HEADER,
  requiredMoney, X402Error,
} from './x402.ts';
import * as v1 from './x402-v1.ts';
import * as z from 'zod';

/** What a 402 asks a wallet to pay, read from either dialect AgentPay pays (x402 v2, or the first, v1-shaped one). */
export interface AskedPayment {
  x402Version: 1 | 2;
  merchantId: string;
  amount: Money;
  lineItems: LineItem[];
  category?: Category;
  reference?: string;
  description?: string;
}

const Version = z.object({ x402Version: z.union([z.literal(1), z.literal(2)], 'x402Version must be 1 or 2') }).loose();

function versionOf(header: string): 1 | 2 {
  return decodeX402Header(PAYMENT_REQUIRED_HEADER, Version, header).x402Version;
}

/** The AgentPay payment a PAYMENT-REQUIRED header asks for; throws X402Error when it takes no AgentPay payment. */
export function readAskedPayment(header: string): AskedPayment {
  if (versionOf(header) === 1) {
    const asked = v1.agentpayRequirement(v1.decodePaymentRequired(header));
    if (!asked) throw new X402Error(PAYMENT_REQUIRED_HEADER, 'the 402 takes no AgentPay payment');
    return { x402Version: 1, ...asked };
  }
  const required = decodePaymentRequired(header);
  const accepted = agentpayAccept(required);
  if (!accepted) throw new X402Error(PAYMENT_REQUIRED_HEADER, 'the 402 takes no AgentPay payment (scheme exact on an agentpay: network)');
  return {
    x402Version: 2,
    merchantId: accepted.payTo,
    amount: requiredMoney(accepted),
    lineItems: accepted.extra.lineItems ?? [],
    category: accepted.extra.category,
    reference: accepted.extra.reference,
    description: required.resource.description,
  };
}

/** The header a retry carries to pay that 402 with a granted token: PAYMENT-SIGNATURE (v2) or X-PAYMENT (v1). */
export function paymentRetryHeaders(header: string, token: string): Record<string, string> {
  if (versionOf(header) === 1) {
    const asked = v1.agentpayRequirement(v1.decodePaymentRequired(header));
    if (!asked) throw new X402Error(PAYMENT_REQUIRED_HEADER, 'the 402 takes no AgentPay payment');
    return { [v1.PAYMENT_HEADER]: v1.encodePaymentPayload({ scheme: v1.X402_SCHEME, reference: asked.reference, token }) };
  }
  const required = decodePaymentRequired(header);
  // Checked as AgentPay's, then sent back exactly as the server wrote it: servers match it field for field.
  const accepted = agentpayAccept(required) && required.accepts.find((a) => a.scheme === AGENTPAY_SCHEME && isAgentPayNetwork(a.network));
  if (!accepted) throw new X402Error(PAYMENT_REQUIRED_HEADER, 'the 402 takes no AgentPay payment');
  return { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignature({ x402Version: 2, resource: required.resource, accepted, payload: { token } }) };
}
