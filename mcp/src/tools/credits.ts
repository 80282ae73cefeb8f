import { formatMoney } from '@agentpay/protocol';
import * as z from 'zod';
import { defineTool } from './tool.ts';

const Credits = z.object({
  credits: z.array(z.object({
    accountId: z.string(),
    vendor: z.object({ id: z.string(), name: z.string() }),
    balance: z.object({ minor: z.number(), currency: z.string() }),
    reserved: z.object({ minor: z.number(), currency: z.string() }),
  }).loose()),
});

/** Token Pay: what the user's prepaid credits at model vendors still hold. */
export const creditsTool = defineTool({
  name: 'get_credits',
  title: 'Prepaid credits at AI vendors',
  description: "Your user's prepaid credits at each AI vendor (Token Pay): balance, what running requests have reserved, and what is left. Top up with top_up_credits.",
  input: {},
  readOnly: true,
  async run({ relay }) {
    const { credits } = Credits.parse(await relay.get('/v1/agents/me/credits'));
    const lines = credits.map((c) => {
      const left = { minor: c.balance.minor - c.reserved.minor, currency: c.balance.currency };
      return { accountId: c.accountId, vendor: c.vendor, balance: c.balance, reserved: c.reserved, available: left };
    });
    const text = lines.length === 0
      ? 'No prepaid credits at any vendor yet.'
      : lines.map((l) => `${l.vendor.name}: ${formatMoney(l.available)} available (${formatMoney(l.balance)} balance)`).join('\n');
    return { text, data: { credits: lines } };
  },
});
