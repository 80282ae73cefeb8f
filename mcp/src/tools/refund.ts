import * as z from 'zod';
import { defineTool } from './tool.ts';

const Asked = z.object({ intentId: z.string(), asked: z.enum(['asked', 'already']), reason: z.string(), askedAt: z.string(), refundableMinor: z.number() });

/** The agent asks; the user refunds (or not) in the AI Wallet. */
export const refundTool = defineTool({
  name: 'request_refund',
  title: 'Ask your user for a refund',
  description:
    "Asks your user to refund one of your charged payments (the order failed, the item never came…). Your reason is shown beside the payment's Refund button "
    + 'in their AI Wallet; they decide. Asking again keeps the first ask.',
  input: {
    paymentId: z.string().regex(/^int_[0-9a-z]{1,64}$/, 'paymentId is an id like int_…, as request_payment or list_purchases gave it'),
    reason: z.string().min(1).max(500).describe('Why it should be refunded, in words your user will read'),
  },
  readOnly: false,
  async run({ relay }, { paymentId, reason }) {
    const answer = Asked.parse(await relay.post(`/v1/intents/${paymentId}/refund-request`, { reason }));
    const text = answer.asked === 'asked'
      ? 'Asked: your user sees your reason beside this payment in their AI Wallet and decides whether to refund it.'
      : `You already asked on ${answer.askedAt}; that ask stands ("${answer.reason}").`;
    return { text, data: answer };
  },
});
