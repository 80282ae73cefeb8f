import { formatMoney, type Merchant, TopUp } from '@agentpay/protocol';
import * as z from 'zod';
import { defineTool } from './tool.ts';

const SAID: Record<TopUp['status'], (t: TopUp) => string> = {
  paid: (t) => `Bought ${formatMoney(t.amount)} of credits; they are in your user's balance at the vendor now (account ${t.accountId}).`,
  held: (t) => `Your user is asked to approve ${formatMoney(t.amount)} of credits in their AI Wallet (payment ${t.intentId}); once they do, the relay buys them (check with get_credits).`,
  pending: (t) => `Top-up ${t.id} is being decided.`,
  failed: (t) => `Not bought: ${t.reason ?? 'the payment was refused'}.`,
};

/** Token Pay: buy credits at a vendor, a payment the mandate decides; the relay charges it, no token reaches the agent. */
export const topUpTool = defineTool({
  name: 'top_up_credits',
  title: 'Buy prepaid credits at an AI vendor',
  description:
    "Buys prepaid credits at an AI vendor (Token Pay) for your user: a payment your mandate decides like any other. Within your budget it is paid at once; "
    + 'beyond it your user is asked in their AI Wallet and the credits arrive when they approve. Name the vendor by its id (mer_…) or by its API URL '
    + '(the vendor that proved that origin to the relay). Retrying with the same idempotencyKey never buys twice.',
  input: {
    vendorId: z.string().regex(/^mer_[0-9a-z]{1,64}$/, 'vendorId is an id like mer_…, as get_credits shows it').optional().describe('The vendor, as get_credits lists it'),
    vendorUrl: z.url({ protocol: /^https?$/, error: 'vendorUrl is the vendor\'s API URL, e.g. http://127.0.0.1:8789' }).optional()
      .describe("Or the vendor's API URL, when you have no credits there yet"),
    amount: z.object({
      minor: z.number().int().positive().describe('Integer minor units: 2000 is 20.00'),
      currency: z.string().regex(/^[A-Z]{3}$/, 'an upper-case ISO 4217 code such as CNY'),
    }),
    idempotencyKey: z.string().min(8).max(200).describe('Your own unique key for this top-up: the same key and arguments return the same top-up'),
  },
  readOnly: false,
  async run({ relay }, { vendorId, vendorUrl, amount, idempotencyKey }) {
    if ((vendorId === undefined) === (vendorUrl === undefined)) throw new Error('name the vendor by vendorId or by vendorUrl (one of them)');
    const vendor = vendorId ?? (await vendorAt(relay, vendorUrl!));
    const topUp = TopUp.parse(await relay.post('/v1/agents/me/top-ups', { vendorId: vendor, amount }, { idempotencyKey: `mcp-top-up:${idempotencyKey}` }));
    return { text: SAID[topUp.status](topUp), data: { topUp } };
  },
});

/** The merchant that proved the URL's origin to the relay: a vendor named by its address cannot be an impostor's id. */
async function vendorAt(relay: { get<T>(path: string): Promise<T> }, url: string): Promise<string> {
  const origin = new URL(url).origin;
  const { merchants } = await relay.get<{ merchants: Merchant[] }>(`/v1/merchants?origin=${encodeURIComponent(origin)}`);
  if (merchants.length === 0) throw new Error(`vendorUrl: no vendor proved ${origin} to the relay`);
  if (merchants.length > 1) throw new Error(`vendorUrl: ${merchants.length} merchants proved ${origin}; name the vendor by vendorId`);
  return merchants[0]!.id;
}
