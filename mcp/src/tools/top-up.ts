import { formatMoney, TopUp } from '@agentpay/protocol';
import * as z from 'zod';
import { defineTool } from './tool.ts';

const SAID: Record<TopUp['status'], (t: TopUp) => string> = {
  paid: (t) => `Bought ${formatMoney(t.amount)} of credits; they are in your user's balance at the vendor now.`,
  held: (t) => `Your user is asked to approve ${formatMoney(t.amount)} of credits in their AI Wallet; once they do, the relay buys them (check with get_credits). Top-up ${t.id}.`,
  pending: (t) => `Top-up ${t.id} is being decided.`,
  failed: (t) => `Not bought: ${t.reason ?? 'the payment was refused'}.`,
};

/** Token Pay: buy credits at a vendor, a payment the mandate decides; the relay charges it, no token reaches the agent. */
export const topUpTool = defineTool({
  name: 'top_up_credits',
  title: 'Buy prepaid credits at an AI vendor',
  description:
    "Buys prepaid credits at an AI vendor (Token Pay) for your user: a payment your mandate decides like any other. Within your budget it is paid at once; "
    + 'beyond it your user is asked in their AI Wallet and the credits arrive when they approve. Retrying with the same idempotencyKey never buys twice.',
  input: {
    vendorId: z.string().regex(/^mer_[0-9a-z]{1,64}$/, 'vendorId is an id like mer_…, as get_credits shows it').describe('The vendor, as get_credits lists it'),
    amount: z.object({
      minor: z.number().int().positive().describe('Integer minor units: 2000 is 20.00'),
      currency: z.string().regex(/^[A-Z]{3}$/, 'an upper-case ISO 4217 code such as CNY'),
    }),
    idempotencyKey: z.string().min(8).max(200).describe('Your own unique key for this top-up: the same key and arguments return the same top-up'),
  },
  readOnly: false,
  async run({ relay }, { vendorId, amount, idempotencyKey }) {
    const topUp = TopUp.parse(await relay.post('/v1/agents/me/top-ups', { vendorId, amount }, { idempotencyKey: `mcp-top-up:${idempotencyKey}` }));
    return { text: SAID[topUp.status](topUp), data: { topUp } };
  },
});
