import * as z from 'zod';

/**
 * Messages between the main-world interceptor and the isolated content script.
 * They travel by `window.postMessage`, which any page script can also call, so
 * the isolated side treats every request as a claim by the page: it can ask
 * for a payment, never approve one, and everything it says is validated here.
 */
import { PAGE_CHANNEL, WALLET_CHANNEL } from './page-channel.ts';

export { PAGE_CHANNEL, WALLET_CHANNEL };

const Text = (max: number) => z.string().trim().min(1).max(max);

/** A price as a page or the Payment Request API states it: a decimal string. */
export const DecimalAmount = z.object({
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'currency must be a three-letter ISO 4217 code'),
  value: z.string().regex(/^\d{1,12}(\.\d{1,4})?$/, 'value must be a decimal string such as "12.34"'),
});

export const AgentClaim = z.object({ name: Text(120) }).strict();
export type AgentClaim = z.infer<typeof AgentClaim>;

/**
 * The methods a page gave `new PaymentRequest(methodData, …)`: each an id, or a list of
 * ids as the API's early drafts (and the old pages written for them) have it.
 */
const MethodData = z
  .array(z.object({ supportedMethods: z.union([Text(300), z.array(Text(300)).min(1).max(10)]), data: z.unknown().optional() }))
  .min(1)
  .max(10);

/**
 * The interceptor left an agent's Payment Request to the browser's own sheet, since the
 * wallet can answer none of its methods. The bridge works out why from the methods
 * itself, so a page can make the notice say nothing but the truth about its own request.
 */
export const LeftToBrowser = z.object({ kind: z.literal('payment-request.left'), methodData: MethodData }).strict();
export type LeftToBrowser = z.infer<typeof LeftToBrowser>;

/** What the page (or an agent through the provider) may ask of the wallet. */
export const PageRequest = z.discriminatedUnion('kind', [
  /** The interceptor held the submit of a form it marked `data-agentpay-checkout`. */
  z.object({ kind: z.literal('card-form.held'), checkoutId: Text(64) }).strict(),
  /** The interceptor held a request (fetch, XHR, beacon, WebSocket) carrying a card; `destination` is where it was going. */
  z.object({ kind: z.literal('card-request.held'), checkoutId: Text(64), destination: Text(300) }).strict(),
  /** `new PaymentRequest(methods, details).show()`. */
  z
    .object({
      kind: z.literal('payment-request.show'),
      methodData: MethodData,
      details: z.object({
        id: z.string().max(200).optional(),
        total: z.object({ label: z.string().max(200), amount: DecimalAmount }),
        displayItems: z.array(z.object({ label: z.string().max(200), amount: DecimalAmount })).max(200).optional(),
      }),
    })
    .strict(),
  /** A 402 answer to the page's own fetch, with its PAYMENT-REQUIRED header. */
  z.object({ kind: z.literal('http-402'), url: Text(2000), paymentRequired: Text(20_000) }).strict(),
  /** `window.agentpay.requestPayment(...)`: validated against the protocol's shapes in the bridge. */
  z.object({ kind: z.literal('provider.request-payment'), request: z.unknown(), agent: AgentClaim.optional() }).strict(),
  /** `window.agentpay.identify({ name })`: the page says an agent is driving it. */
  z.object({ kind: z.literal('provider.identify'), agent: AgentClaim }).strict(),
]);
export type PageRequest = z.infer<typeof PageRequest>;

export const PageEnvelope = z.object({ channel: z.literal(PAGE_CHANNEL), id: Text(64), request: z.unknown() });

/** How a payment reached the page: the token in the shapes the page needs. */
export const PagePayment = z.object({
  intentId: z.string(),
  token: z.string(),
  card: z.object({ number: z.string(), expMonth: z.number(), expYear: z.number(), cvc: z.string() }).optional(),
  amount: z.object({ minor: z.number(), currency: z.string() }),
  /** Headers for the page to send along, e.g. X-PAYMENT when retrying a 402. */
  headers: z.record(z.string(), z.string()).optional(),
});
export type PagePayment = z.infer<typeof PagePayment>;

/** The wallet's answer, back to the main world. */
export type WalletReply =
  | { channel: typeof WALLET_CHANNEL; id: string; ok: true; payment: PagePayment | null }
  | { channel: typeof WALLET_CHANNEL; id: string; ok: false; error: { code: string; message: string } };
