import { Intent } from '@agentpay/protocol';
import * as z from 'zod';
import { settle } from '../payments/answer.ts';
import { defineTool } from './tool.ts';

const paymentId = z.string().regex(/^int_[0-9a-z]{1,64}$/, 'paymentId is an id like int_…, as request_payment or list_purchases gave it');

export const paymentStateTool = defineTool({
  name: 'get_payment',
  title: 'Where a payment stands',
  description: 'The state of one of this agent\'s payments: approved, waiting for the user, declined, refused or expired, with the reasons. For one waiting for the user, wait up to waitSeconds for the answer.',
  input: {
    paymentId,
    waitSeconds: z.number().int().min(0).max(60).default(0).describe('While it waits for the user, wait this long for an answer'),
  },
  readOnly: true,
  async run(context, { paymentId, waitSeconds }) {
    // An approved payment this server was asked to hand over is handed over here, once.
    return settle(context, Intent.parse(await context.relay.get(`/v1/intents/${paymentId}?waitSeconds=${waitSeconds}`)));
  },
});

/** Why there was nothing to cancel, by the token's status, else the payment's. */
const NOTHING_WORDS: Record<string, string> = {
  revoked: 'Already cancelled: it can no longer be charged, and nothing was paid.',
  charged: 'Nothing to cancel: the shop has charged it. Ask your user if it should be refunded.',
  expired: 'Nothing to cancel: its approval expired unused, and nothing was paid.',
  denied: 'Already ended: your user refused it (or it was cancelled); nothing was paid.',
};

export const cancelPaymentTool = defineTool({
  name: 'cancel_payment',
  title: 'Cancel a payment',
  description: "Withdraws one of this agent's payments that is not paid yet: one waiting for the user stops waiting, an approved one not yet charged can no longer be. A charged payment is left as it is (ask the user for a refund).",
  input: {
    paymentId,
    reason: z.string().min(1).max(300).describe('Why, in words the user will read in their wallet'),
  },
  readOnly: false,
  async run({ relay }, { paymentId, reason }) {
    // Cancelling twice is harmless (the second finds nothing to cancel), so each call is its own request.
    const answered = await relay.post(`/v1/intents/${paymentId}/cancel`, { reason });
    const answer = z.object({ cancelled: z.enum(['held', 'token', 'nothing']), status: z.string().optional(), tokenStatus: z.string().optional() }).parse(answered);
    const text = {
      held: 'Cancelled: it no longer waits for your user, and nothing was paid.',
      token: 'Cancelled: the approved payment can no longer be charged, and nothing was paid.',
      nothing: NOTHING_WORDS[answer.tokenStatus ?? answer.status ?? ''] ?? `Nothing to cancel: the payment is ${answer.status ?? 'already over'}.`,
    }[answer.cancelled];
    return { text, data: { paymentId, ...answer } };
  },
});
