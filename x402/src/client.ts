import {
  AGENTPAY_SCHEME, AGENTPAY_UPTO_SCHEME, agentSignedFetch, AgentPayRequirements, type AgentPaySchemeName, FACILITATOR_PATH, formatMoney, Intent,
  type IntentRequest, type LineItem, type Money, type RelayHttpClient, requiredMoney, SupportedResponse, X402_VERSION,
} from '@agentpay/protocol';
import { x402Client } from '@x402/core/client';
import { wrapFetchWithPayment } from '@x402/fetch';
import type { PaymentCreationContext } from '@x402/core/client';
import type { PaymentPayloadResult, PaymentRequirements, SchemeNetworkClient } from '@x402/core/types';

/** How the agent's x402 payments are asked for and waited on. */
export interface AgentPayClientOptions {
  /**
   * The origin of the URL being fetched (`https://shop.example`). The relay is told this origin,
   * not what the 402 claims, and a 402 describing a resource on another origin is refused: a site
   * cannot pass on a shop's 402 and collect the token meant for the shop.
   */
  origin: string;
  /**
   * How long to wait for the user when the relay holds a payment for them (above the agent's
   * budget, a new merchant…), in ms. Default 5 minutes; 0 refuses a held payment at once.
   */
  waitForUserMs?: number;
  /** Called once when a payment is held for the user, e.g. to tell the person to look at their wallet. */
  onHeld?: (intent: Intent) => void;
  /**
   * Called with a payment the relay did not approve (declined, refused, expired, or still held when
   * the wait ended) before the official client fails the fetch (it keeps only the error's message).
   */
  onNotApproved?: (intent: Intent) => void;
  /** The task the payments belong to, for the AI Wallet's timeline. */
  taskId?: string;
  /** The most the agent means to pay for one resource; a dearer 402 is refused before the relay is asked. */
  maxAmount?: Money;
  /**
   * The relay's Idempotency-Key for the payment of a 402: asking again with the same key (after a
   * hold outlived the wait) finds the same payment instead of asking the user twice.
   */
  idempotencyKey?: string;
  /** Description the user reads in the wallet; default the resource's own description. */
  reason?: string;
  /**
   * Cancel a payment still held for the user when the wait ends (default true), so the user is not
   * left a question nobody waits for. False keeps it held, to pick it up again with `idempotencyKey`.
   */
  cancelWhenGivingUp?: boolean;
}

/** The relay did not approve the payment: declined by the mandate, refused by the user, or not answered in time. */
export class PaymentNotApproved extends Error {
  override name = 'PaymentNotApproved';
  constructor(readonly intent: Intent) {
    const reasons = intent.decision.reasons.map((r) => r.message).join('; ');
    super(`AgentPay did not approve paying ${intent.merchantId}: ${intent.status}${reasons ? ` (${reasons})` : ''}`);
  }
}

/**
 * AgentPay's `exact` scheme for the official x402 client: for each 402 it asks the relay, as the
 * agent, for a single-use token bound to the requirement's merchant, amount and currency. The
 * user's mandate decides: within it the token comes at once; above it the payment waits for the
 * user in their wallet. The payload is the token's secret and nothing else.
 *
 * It pays `upto` requirements too (x402's metered scheme): the token is asked for the maximum, so
 * the mandate decides on the most the request may cost, and the payment reads "up to" that in the
 * wallet; the merchant then charges what the request actually cost, and the rest goes back. Register
 * `scheme.upto` for them (`x402ClientFor` does): it is this scheme under the name `upto`, sharing
 * its options and what it issued.
 */
export class AgentPayScheme implements SchemeNetworkClient {
  readonly scheme: AgentPaySchemeName = AGENTPAY_SCHEME;
  /** The same scheme under the name `upto`, to register for those requirements: `register('agentpay:*', scheme.upto)`. */
  readonly upto: SchemeNetworkClient = {
    scheme: AGENTPAY_UPTO_SCHEME,
    createPaymentPayload: (x402Version, requirements) => this.createPaymentPayload(x402Version, requirements),
    schemeHooks: { onBeforePaymentCreation: (context) => this.schemeHooks.onBeforePaymentCreation(context) },
  };
  /** The resource each 402 was for, kept by the hook below: `createPaymentPayload` is given only the requirements. */
  readonly #resources = new WeakMap<object, { url: string; description?: string }>();
  #network: Promise<string> | undefined;

  readonly schemeHooks = {
    onBeforePaymentCreation: async (context: PaymentCreationContext) => {
      if (context.paymentRequired.resource) this.#resources.set(context.selectedRequirements, context.paymentRequired.resource);
    },
  };

  /** Token secrets this scheme handed out, so a caller can keep them out of what it shows. */
  readonly issuedSecrets = new Set<string>();
  /** The payments those tokens belong to, so a caller can ask the relay whether they were charged. */
  readonly issuedIntents = new Set<string>();

  constructor(readonly relay: RelayHttpClient, readonly options: AgentPayClientOptions) {}

  /** This relay's network id (`agentpay:<relay id>`), from its facilitator's `/supported`. */
  network(): Promise<string> {
    this.#network ??= this.relay.get<unknown>(`${FACILITATOR_PATH}/supported`).then((answer) => {
      const kind = SupportedResponse.parse(answer).kinds.find((k) => k.x402Version === X402_VERSION && k.scheme === AGENTPAY_SCHEME);
      if (!kind) throw new Error(`the relay at ${this.relay.baseUrl} is not an x402 v2 facilitator`);
      return kind.network;
    });
    this.#network.catch(() => { this.#network = undefined; });
    return this.#network;
  }

  async createPaymentPayload(x402Version: number, requirements: PaymentRequirements): Promise<PaymentPayloadResult> {
    const parsed = AgentPayRequirements.safeParse(requirements);
    if (!parsed.success) throw new Error(`not an AgentPay requirement: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const accepted = parsed.data;
    const network = await this.network();
    if (accepted.network !== network) throw new Error(`the resource asks for payment on ${accepted.network}, but this agent's relay is ${network}`);

    // Under `upto` the amount is the most the request may cost: the token, the cap and the mandate are about that.
    const asked = requiredMoney(accepted);
    const upto = accepted.scheme === AGENTPAY_UPTO_SCHEME;
    const cap = this.options.maxAmount;
    if (cap && (cap.currency !== asked.currency || cap.minor < asked.minor)) {
      throw new Error(`the resource asks ${upto ? 'up to ' : ''}${formatMoney(asked)}, more than the ${formatMoney(cap)} this payment may cost`);
    }
    const resource = this.#resources.get(requirements);
    const origin = new URL(this.options.origin).origin;
    if (resource && new URL(resource.url, this.options.origin).origin !== origin) {
      throw new Error(`the 402 from ${origin} describes a resource at ${new URL(resource.url, origin).origin}: refused, a site may only ask payment for its own resources`);
    }
    const what = this.options.reason || resource?.description || (resource ? `Paid access to ${resource.url}` : undefined);
    const ask: IntentRequest = {
      merchantId: accepted.payTo,
      amount: asked,
      lineItems: accepted.extra.lineItems ?? (upto ? [uptoLineItem(asked, what)] : []),
      category: accepted.extra.category,
      channel: 'api',
      description: clip(upto ? `Up to ${formatMoney(asked)}, the shop charges what is used${what ? `: ${what}` : ''}` : what, 500),
      taskId: this.options.taskId,
      // The origin that answered, whatever the 402 claims: the relay holds a payment whose merchant never proved it.
      context: { origin },
    };
    let intent = Intent.parse(await this.relay.post('/v1/intents', ask, { idempotencyKey: this.options.idempotencyKey }));
    // A replayed answer is the one first given: read where the payment stands now.
    if (this.options.idempotencyKey && intent.status !== 'pending_confirmation') intent = Intent.parse(await this.relay.get(`/v1/intents/${intent.id}`));
    if (intent.status === 'pending_confirmation') intent = await this.#waitForUser(intent);
    if (intent.status === 'pending_confirmation' && (this.options.cancelWhenGivingUp ?? true)) {
      await this.relay.post(`/v1/intents/${intent.id}/cancel`, { reason: 'the agent stopped waiting for an answer' }).catch(() => undefined);
    }
    if (intent.status !== 'approved' || !intent.token) {
      this.options.onNotApproved?.(intent);
      throw new PaymentNotApproved(intent);
    }
    this.issuedSecrets.add(intent.token.secret);
    this.issuedIntents.add(intent.id);
    return { x402Version, payload: { token: intent.token.secret } };
  }

  async #waitForUser(held: Intent): Promise<Intent> {
    // Where it stands now (a replayed answer is the first one given), before telling anyone.
    let intent = Intent.parse(await this.relay.get(`/v1/intents/${held.id}`));
    if (intent.status !== 'pending_confirmation') return intent;
    this.options.onHeld?.(intent);
    const deadline = Date.now() + (this.options.waitForUserMs ?? 5 * 60_000);
    while (intent.status === 'pending_confirmation' && Date.now() < deadline) {
      const waitSeconds = Math.max(1, Math.min(25, Math.ceil((deadline - Date.now()) / 1000)));
      intent = Intent.parse(await this.relay.get(`/v1/intents/${held.id}?waitSeconds=${waitSeconds}`));
    }
    return intent;
  }
}

/**
 * An official x402 client that pays AgentPay resources as this agent, for one origin (see
 * `AgentPayClientOptions.origin`), ready for `wrapFetchWithPayment(fetch, client)`. The official
 * client refuses assets it does not know, so the currencies the agent may pay in are allowed here
 * by name (default CNY).
 */
export function agentpayX402Client(relay: RelayHttpClient, options: AgentPayClientOptions & { currencies?: string[] }) {
  return x402ClientFor(new AgentPayScheme(relay, options), options.currencies ?? ['CNY']);
}

export function x402ClientFor(scheme: AgentPayScheme, currencies: string[]) {
  return new x402Client()
    .register('agentpay:*', scheme)
    .register('agentpay:*', scheme.upto)
    .setSpendControls({ allowedAssets: currencies.map((asset) => ({ network: 'agentpay:*' as const, asset })) });
}

/**
 * `fetch` that pays x402 resources as this agent: each call gets the official client
 * (`wrapFetchWithPayment`) with AgentPay's scheme bound to the origin it fetches, requests signed
 * by the relay (Web Bot Auth), and redirects not followed (a paid retry must not carry its token
 * to another site).
 */
export function agentpayFetch(relay: RelayHttpClient, options: Omit<AgentPayClientOptions, 'origin'> & { currencies?: string[] } = {}): typeof fetch {
  return (input, init) => {
    const request = new Request(input, { ...init, redirect: 'manual' });
    const client = agentpayX402Client(relay, { ...options, origin: new URL(request.url).origin });
    return wrapFetchWithPayment(agentSignedFetch(relay), client)(request);
  };
}

/** The one line an `upto` payment shows when the shop gave none: the most it may cost. */
function uptoLineItem(maximum: Money, what: string | undefined): LineItem {
  // One line: a line item's name takes no line breaks.
  const name = `Up to ${formatMoney(maximum)}${what ? `: ${what}` : ''}`.replace(/\s+/g, ' ').trim();
  return { name: clip(name, 200)!, quantity: 1, unitMinor: maximum.minor };
}

/** At most `max` UTF-16 units, never ending inside a surrogate pair (the relay refuses half an emoji). */
function clip(text: string | undefined, max: number): string | undefined {
  if (text === undefined || text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
