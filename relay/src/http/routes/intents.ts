import { Intent, IntentRequest, ProgressEvent, SpendingPower, text, TopUp, TopUpRequest, WalletCredits, WalletRecord } from '@agentpay/protocol';
import * as z from 'zod';
import type { ActorPrincipal } from '../../identity/principals.ts';
import { CancelRequest, cancelIntent } from '../../intents/cancel.ts';
import { createIntent } from '../../intents/create.ts';
import { readIntent } from '../../intents/read.ts';
import { askForRefund, RefundAsk, RefundAsked } from '../../intents/refund-request.ts';
import { spendingPower } from '../../mandates/spending-power.ts';
import { recordProgress } from '../../progress/progress.ts';
import { listRecords } from '../../wallet/records.ts';
import { route } from '../route.ts';
import { readTopUp, requestTopUp } from '../../credits/top-ups.ts';
import { walletCredits } from '../../credits/wallet-credits.ts';

const WaitQuery = z.object({
  /** Long poll: wait up to this many seconds while the intent awaits confirmation. */
  waitSeconds: z.coerce.number().int().min(0).max(60).default(0),
});

export const intentRoutes = [
  route({
    method: 'GET', path: '/v1/agents/me', tag: 'agents and devices', auth: ['agent', 'device'], response: SpendingPower,
    summary: "What the signer may spend now: its mandate in words, whether it pays without asking, and a budget's spent, left and renewal",
    read: ({ ctx, principal }) => spendingPower(ctx.db, principal as ActorPrincipal, ctx.now()),
  }),
  route({
    method: 'GET', path: '/v1/agents/me/credits', tag: 'agents and devices', auth: ['agent', 'device'], response: WalletCredits,
    summary: "Token Pay: the credits its wallet holds at each vendor (what metered requests spend), with the last 30 days' usage",
    read: ({ ctx, principal }) => walletCredits(ctx.db, (principal as ActorPrincipal).walletId, ctx.now()),
  }),
  route({
    method: 'POST', path: '/v1/agents/me/top-ups', tag: 'agents and devices', auth: ['agent'], status: 201, body: TopUpRequest, response: TopUp,
    summary: "Token Pay: buy credits at a vendor for the wallet, a payment the agent's mandate decides; paid at once, held for the user (then paid when approved), or failed with the reason",
    command: ({ ctx, tx, outbox, principal, body }) => requestTopUp(ctx, tx, outbox, principal as ActorPrincipal, body),
  }),
  route({
    method: 'GET', path: '/v1/agents/me/top-ups/{id}', tag: 'agents and devices', auth: ['agent'], response: TopUp,
    summary: 'One of its top-ups, to follow a held one',
    read: ({ ctx, principal, params }) => readTopUp(ctx.db, principal.id, params.id!),
  }),
  route({
    method: 'POST', path: '/v1/intents', tag: 'agents and devices', auth: ['agent', 'device'], status: 201,
    body: IntentRequest, response: Intent,
    summary: 'Ask to pay: approved with a single-use token, held for confirmation, or declined, with reasons',
    command: ({ ctx, tx, outbox, principal, body }) => createIntent(ctx, tx, outbox, principal as ActorPrincipal, body),
  }),
  route({
    method: 'GET', path: '/v1/intents/{id}', tag: 'agents and devices', auth: ['agent', 'device', 'wallet'], query: WaitQuery, response: Intent,
    summary: "An intent's state; its actor also gets the token once approved. `waitSeconds` long-polls a held intent",
    read: ({ ctx, principal, params, query, signal }) => readIntent(ctx, principal, params.id!, query.waitSeconds, signal),
  }),
  route({
    method: 'GET', path: '/v1/agents/me/purchases', tag: 'agents and devices', auth: ['agent', 'device'],
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      cursor: text().max(300).optional(),
    }),
    response: z.object({ records: z.array(WalletRecord), nextCursor: z.string().nullable() }),
    summary: "What the signer itself asked to pay, newest first, each with its story as the wallet tells it (no token secret); page on with ?cursor=<nextCursor>",
    read: ({ ctx, principal, query }) => {
      const actor = principal as ActorPrincipal;
      return listRecords(ctx.db, actor.walletId, { ...query, actorId: actor.id }, ctx.now());
    },
  }),
  route({
    method: 'POST', path: '/v1/intents/{id}/cancel', tag: 'agents and devices', auth: ['agent', 'device'], body: CancelRequest,
    summary: "Withdraw one of the signer's own payments: a held intent stops waiting for the user, an approved token not yet charged is revoked; anything charged, answered or expired is left as it is",
    command: ({ ctx, tx, outbox, principal, params, body }) => {
      const actor = principal as ActorPrincipal;
      return cancelIntent(tx, outbox, { walletId: actor.walletId, actorId: actor.id }, params.id!, body.reason, ctx.now());
    },
  }),
  route({
    method: 'POST', path: '/v1/intents/{id}/refund-request', tag: 'agents and devices', auth: ['agent', 'device'], body: RefundAsk, response: RefundAsked,
    summary: "Ask the user to refund one of the signer's charged payments, with a reason they read in the AI Wallet beside Refund; the user decides",
    command: ({ ctx, tx, outbox, principal, params, body }) => askForRefund(tx, outbox, principal as ActorPrincipal, params.id!, body, ctx.now()),
  }),
  route({
    method: 'POST', path: '/v1/progress', tag: 'agents and devices', auth: ['agent', 'device'], status: 202, body: ProgressEvent,
    response: z.object({ accepted: z.literal(true) }),
    summary: "Report a task's progress (searching, found, preparing to pay, ...) for the wallet's timeline",
    command: async ({ tx, outbox, principal, body }) => {
      const actor = principal as ActorPrincipal;
      await recordProgress(tx, outbox, { walletId: actor.walletId, actorId: actor.id, ...body });
      return { accepted: true };
    },
  }),
];
