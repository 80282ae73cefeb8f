import { agentSignedFetch, Intent, Merchant, type RelayHttpClient } from '@agentpay/protocol';
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as z from 'zod';

/**
 * Where the server hands an approved payment's token: the merchant's URL that takes
 * `{ reference, token }` (the same call a wallet makes for a scanned payment code) and charges it.
 * The agent names it but never sees the token: it goes from the relay to the merchant through
 * this process, and only on an origin the merchant proved to the relay.
 */
export const DeliverTo = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'deliverTo.url must be an absolute http(s) URL on the merchant\'s own origin' }),
    reference: z.string().min(1, 'deliverTo.reference (the merchant\'s order id) is required').max(120),
  })
  .strict();
export type DeliverTo = z.infer<typeof DeliverTo>;

/** What became of handing a payment's token to its merchant. */
export type Delivery =
  | { delivered: true; merchantStatus: number }
  | { delivered: false; why: string };

const DELIVERY_TIMEOUT_MS = 15_000;

/**
 * The tokens this server still has to hand over, one delivery per payment however many tool
 * calls race to it. A failed delivery is forgotten, so a later call (get_payment, or request_payment
 * again with the same idempotency key) tries again while the token is still good.
 */
export class Deliveries {
  readonly #targets = new Map<string, DeliverTo>();
  readonly #outcomes = new Map<string, Promise<Delivery>>();

  /**
   * `file`: where targets are kept between runs (MCP clients restart stdio servers at will), beside
   * the agent file, readable by its owner only. Without it they live as long as the process.
   */
  constructor(readonly file?: string) {
    for (const [id, target] of Object.entries(this.#load())) this.#targets.set(id, target);
  }

  /** Notes where a payment goes; the same payment (an idempotent retry) must name the same place. */
  remember(paymentId: string, target: DeliverTo): void {
    const known = this.#targets.get(paymentId) ?? this.#load()[paymentId];
    if (known && (known.url !== target.url || known.reference !== target.reference)) {
      throw new Error(`idempotencyKey: it was used for the payment delivered to ${known.url} for ${known.reference}; use a new key for another order`);
    }
    this.#targets.set(paymentId, target);
    this.#save(paymentId, target);
  }

  knows(paymentId: string): boolean {
    if (!this.#targets.has(paymentId)) {
      const stored = this.#load()[paymentId];
      if (stored) this.#targets.set(paymentId, stored);
    }
    return this.#targets.has(paymentId);
  }

  #load(): Record<string, DeliverTo> {
    if (!this.file) return {};
    try {
      const parsed = z.record(z.string(), DeliverTo.extend({ at: z.number() })).safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  /** Merged with what another run wrote meanwhile; entries older than two days are dropped. */
  #save(paymentId: string, target: DeliverTo): void {
    if (!this.file) return;
    const kept = Object.entries({ ...this.#load(), [paymentId]: { ...target, at: Date.now() } })
      .filter(([, entry]) => Date.now() - (entry as { at?: number }).at! < 2 * 24 * 3600_000);
    // A fresh name, created exclusively: a symlink planted at it is never followed.
    const temp = `${this.file}.${randomUUID()}.tmp`;
    writeFileSync(temp, JSON.stringify(Object.fromEntries(kept)), { mode: 0o600, flag: 'wx' });
    renameSync(temp, this.file);
  }

  deliver(relay: RelayHttpClient, paymentId: string): Promise<Delivery> {
    const target = this.#targets.get(paymentId);
    if (!target) return Promise.resolve({ delivered: false, why: 'this server was not told where to deliver it: call request_payment again with the same idempotencyKey and deliverTo' });
    let outcome = this.#outcomes.get(paymentId);
    if (!outcome) {
      outcome = handOver(relay, paymentId, target);
      this.#outcomes.set(paymentId, outcome);
      void outcome.then((result) => { if (!result.delivered) this.#outcomes.delete(paymentId); });
    }
    return outcome;
  }
}

async function handOver(relay: RelayHttpClient, paymentId: string, target: DeliverTo): Promise<Delivery> {
  const intent = Intent.parse(await relay.get(`/v1/intents/${paymentId}`));
  if (intent.status !== 'approved') return { delivered: false, why: `it is ${intent.status}, not approved` };
  if (!intent.token) return { delivered: false, why: 'its token is no longer good (charged, cancelled or expired): see list_purchases' };
  // Checked again here, whoever wrote the target: a token goes only to a site its merchant proved.
  const merchant = Merchant.parse(await relay.get(`/v1/merchants/${encodeURIComponent(intent.merchantId)}`));
  const origin = new URL(target.url).origin;
  if (!merchant.provenOrigins.includes(origin)) return { delivered: false, why: `${origin} is not an origin ${merchant.name} proved its own` };
  const secret = intent.token.secret;
  let response: Response;
  try {
    // Signed by the relay (Web Bot Auth), so the merchant knows an AgentPay agent is calling.
    response = await agentSignedFetch(relay)(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reference: target.reference, token: secret }),
      // Never follow the merchant elsewhere with a token in hand.
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
  } catch (error) {
    return { delivered: false, why: `the merchant at ${origin} did not answer: ${(error as Error).message}` };
  }
  await response.body?.cancel().catch(() => undefined);
  if (!response.ok) return { delivered: false, why: `the merchant answered ${response.status}` };
  // Paid is what the relay says: the token charged, not the merchant's word for it.
  const after = Intent.parse(await relay.get(`/v1/intents/${paymentId}`));
  if (after.token) return { delivered: false, why: 'the merchant answered but has not charged it yet' };
  return { delivered: true, merchantStatus: response.status };
}
