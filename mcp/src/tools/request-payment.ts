import { Category, Intent, LineItem, Merchant, Money, ProtocolError, type RelayHttpClient } from '@agentpay/protocol';
import * as z from 'zod';
import { DeliverTo } from '../payments/deliver.ts';
import { settle } from '../payments/answer.ts';
import { defineTool, type ToolContext } from './tool.ts';

/**
 * Asks the user's wallet to pay a merchant. The user's mandate decides at once (approved or
 * declined) or holds the payment for them; an approved payment's token goes straight to the
 * merchant's `deliverTo` URL, never to the agent.
 */
export const requestPaymentTool = defineTool({
  name: 'request_payment',
  title: 'Pay a merchant',
  description:
    "Asks your user's AgentPay wallet to pay a merchant registered with the relay. Within the user's mandate it is paid at once; "
    + 'otherwise it waits for the user (status "pending_confirmation": call get_payment with waitSeconds to follow it) or is declined with the reasons. '
    + "The payment goes to the merchant's deliverTo URL, which must be on an origin the merchant proved. Retrying with the same idempotencyKey never pays twice.",
  input: {
    merchantId: z.string().min(1).max(100).describe('The merchant\'s AgentPay id (mer_…), as its checkout or API states it'),
    amount: Money.describe('Integer minor units and an ISO 4217 code, e.g. { "minor": 3500, "currency": "CNY" } for 35.00 CNY'),
    lineItems: z.array(LineItem).max(200).default([]).describe('What is bought; when given, must add up to the amount'),
    category: Category.optional().describe("What kind of purchase; left out, the merchant's own category"),
    reason: z.string().min(1).max(500).describe('Why, in words your user will read in their wallet when deciding'),
    idempotencyKey: z.string().min(8).max(200).describe('Your own unique key for this payment: the same key and arguments return the same payment'),
    deliverTo: DeliverTo.describe("The merchant's URL that takes { reference, token } and charges it, with the merchant's order reference"),
    taskId: z.string().min(1).max(64).optional().describe('The task this payment belongs to (as in report_progress)'),
    waitSeconds: z.number().int().min(0).max(50).default(30).describe('When it waits for your user, wait this long for their answer before returning'),
  },
  readOnly: false,
  async run(context, args) {
    const { relay, deliveries } = context;
    const origin = new URL(args.deliverTo.url).origin;
    await requireProvenOrigin(relay, args.merchantId, origin);
    let intent = Intent.parse(await relay.post('/v1/intents', {
      merchantId: args.merchantId, amount: args.amount, lineItems: args.lineItems, category: args.category, channel: 'api',
      description: args.reason, taskId: args.taskId, context: { origin },
    }, { idempotencyKey: `mcp:${args.idempotencyKey}` }));
    deliveries.remember(intent.id, args.deliverTo);
    // Held (or a replayed answer of a payment held then): where it stands now, waiting up to waitSeconds.
    if (intent.status === 'pending_confirmation') intent = await waitForUser(context, intent, args.waitSeconds);
    return settle(context, intent);
  },
});

/** The agent cannot send a token to a site the merchant never proved its own. */
async function requireProvenOrigin(relay: RelayHttpClient, merchantId: string, origin: string): Promise<void> {
  let merchant: Merchant;
  try {
    merchant = Merchant.parse(await relay.get(`/v1/merchants/${encodeURIComponent(merchantId)}`));
  } catch (error) {
    if (error instanceof ProtocolError && error.status === 404) throw new Error(`merchantId: no merchant ${merchantId} is registered with your wallet's relay`);
    throw error;
  }
  if (!merchant.provenOrigins.includes(origin)) {
    const proven = merchant.provenOrigins.length ? merchant.provenOrigins.join(', ') : 'none';
    throw new Error(`deliverTo.url: ${origin} is not an origin ${merchant.name} proved its own (proven: ${proven}); payments are handed only to the merchant's own site`);
  }
}

/** Shows the user where to answer (where the client can), and waits for the answer up to `seconds`. */
async function waitForUser({ relay, tellUser }: ToolContext, held: Intent, seconds: number): Promise<Intent> {
  if (seconds === 0) return Intent.parse(await relay.get(`/v1/intents/${held.id}`));
  const answered = new AbortController();
  const told = tellUser(held, answered.signal);
  try {
    return Intent.parse(await relay.get(`/v1/intents/${held.id}?waitSeconds=${seconds}`));
  } finally {
    answered.abort();
    await told;
  }
}
