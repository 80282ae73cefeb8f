import { formatMoney, WalletRecord } from '@agentpay/protocol';
import * as z from 'zod';
import { defineTool } from './tool.ts';

const Page = z.object({ records: z.array(WalletRecord), nextCursor: z.string().nullable() });

export const purchasesTool = defineTool({
  name: 'list_purchases',
  title: 'What I bought',
  description: 'The payments this agent asked for, newest first, each with where it stands as the user\'s wallet tells it (paid, waiting for the user, refused, expired, refunded…). Page on with the cursor it returns.',
  input: {
    limit: z.number().int().min(1).max(100).default(20).describe('How many payments to list'),
    cursor: z.string().max(300).optional().describe('The nextCursor of the previous page'),
  },
  readOnly: true,
  async run({ relay }, { limit, cursor }) {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    const page = Page.parse(await relay.get(`/v1/agents/me/purchases?${query}`));
    const purchases = page.records.map((r) => ({
      paymentId: r.id, merchant: r.merchantName, amount: r.amount, state: r.story.state, why: r.story.reason, moneyMoved: r.story.moneyMoved, createdAt: r.createdAt,
    }));
    const text = purchases.length
      ? purchases.map((p) => `${p.createdAt} ${formatMoney(p.amount)} at ${p.merchant}: ${p.state.replaceAll('_', ' ')}${p.why ? ` (${p.why})` : ''}`).join('\n')
      : 'No payments yet.';
    return { text, data: { purchases, nextCursor: page.nextCursor } };
  },
});
