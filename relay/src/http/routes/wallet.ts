import {
  Actor, AnalysisQuery, SpendingAnalysis, ActorRegistration, ActorStatus, ConfirmationAnswer, ConfirmationRequest, Intent, IssuedStepUpChallenge, Mandate, PasskeyAssertion, PasskeyChange, SignedMandate, StepUpChange,
  multilineText, text, WalletMerchants, WalletRecord, WalletSettings, WalletTask, WalletUnpaired,
  AutoTopUp, WalletCredits,
} from '@agentpay/protocol';
import * as z from 'zod';
import type { Principal } from '../../identity/principals.ts';
import { answerIntent } from '../../intents/answer.ts';
import { CancelRequest, cancelIntent } from '../../intents/cancel.ts';
import { recentTasks, taskTimeline } from '../../progress/progress.ts';
import { listActors, ownActor, registerActor, setMandate, updateActor } from '../../wallet/actors.ts';
import { spendingAnalysis } from '../../wallet/analysis.ts';
import { walletMerchants } from '../../wallet/merchants.ts';
import { ConfirmationsQuery, pendingConfirmations } from '../../wallet/confirmations.ts';
import { getRecord, listRecords, reverseRecord, spending } from '../../wallet/records.ts';
import { setPasskey, setThresholds, walletSettings } from '../../wallet/step-up.ts';
import { issueStepUpChallenge } from '../../wallet/step-up-challenges.ts';
import { unpairWallet } from '../../wallet/unpair.ts';
import { route } from '../route.ts';
import { walletCredits } from '../../credits/wallet-credits.ts';
import { AutoTopUpChange, setAutoTopUp } from '../../credits/auto-top-ups.ts';
import { walletEventStream } from './wallet-events.ts';

type WalletPrincipal = Extract<Principal, { kind: 'wallet' }>;
const wallet = (p: Principal) => p as WalletPrincipal;

export const walletRoutes = [
  route({
    method: 'GET', path: '/v1/wallet', tag: 'wallet', auth: ['wallet'], response: WalletSettings,
    summary: 'This wallet: whether it has a passkey (public parts only) and its step-up thresholds',
    read: ({ ctx, principal }) => walletSettings(ctx.db, principal.id),
  }),
  route({
    method: 'PUT', path: '/v1/wallet/step-up', tag: 'wallet', auth: ['wallet'], body: StepUpChange, response: WalletSettings,
    summary: 'Set the per-currency amounts from which approving needs the passkey; with a passkey, needs its assertion over stepUpChallenge',
    command: ({ ctx, tx, principal, body }) => setThresholds(tx, principal.id, body, ctx.now()),
  }),
  route({
    method: 'POST', path: '/v1/wallet/step-up/challenges', tag: 'wallet', auth: ['wallet'], status: 201,
    body: z.object({}).strict(), response: IssuedStepUpChallenge,
    summary: 'A single-use step-up challenge for this wallet, valid a few minutes: every passkey assertion signs over one',
    command: ({ ctx, tx, principal }) => issueStepUpChallenge(tx, principal.id, ctx.now()),
  }),
  route({
    method: 'PUT', path: '/v1/wallet/passkey', tag: 'wallet', auth: ['wallet'], body: PasskeyChange, response: WalletSettings,
    summary: "Add the wallet's passkey (ES256); replacing one needs an assertion by it over passkeyChallenge",
    command: ({ ctx, tx, principal, body }) => setPasskey(tx, principal.id, body, ctx.now()),
  }),
  route({
    method: 'POST', path: '/v1/wallet/unpair', tag: 'wallet', auth: ['wallet'], body: z.object({}).strict(), response: WalletUnpaired,
    summary: 'Unpair this wallet: its agents and devices are revoked (held payments declined), its key signs nothing more; records stay for the ledger',
    command: ({ ctx, tx, outbox, principal }) => unpairWallet(tx, outbox, wallet(principal), ctx.now()),
  }),
  route({
    method: 'GET', path: '/v1/wallet/actors', tag: 'wallet', auth: ['wallet'], summary: 'Agents and devices with their current mandates',
    read: ({ ctx, principal }) => listActors(ctx.db, principal.id, ctx.now()).then((actors) => ({ actors })),
  }),
  route({
    method: 'POST', path: '/v1/wallet/actors', tag: 'wallet', auth: ['wallet'], status: 201, body: ActorRegistration, response: Actor,
    summary: 'Register an agent or device by its public key',
    command: ({ tx, principal, body }) => registerActor(tx, wallet(principal), body),
  }),
  route({
    method: 'PATCH', path: '/v1/wallet/actors/{id}', tag: 'wallet', auth: ['wallet'], response: Actor,
    body: z.object({ name: text().trim().min(1).max(120).optional(), status: ActorStatus.optional(), passkey: PasskeyAssertion.optional() }).strict(),
    summary: 'Rename, pause, resume (status "active"; with a passkey, needs its assertion over resumeChallenge) or revoke an agent or device; revoking is final',
    command: ({ ctx, tx, outbox, principal, params, body }) => updateActor(tx, outbox, wallet(principal), params.id!, body, ctx.now()),
  }),
  route({
    method: 'PUT', path: '/v1/wallet/actors/{id}/mandate', tag: 'wallet', auth: ['wallet'], body: SignedMandate, response: Mandate,
    summary: "Set the actor's mandate: a JWS the wallet signed over the mandate's canonical JSON",
    command: ({ ctx, tx, principal, params, body }) => setMandate(tx, wallet(principal), params.id!, body.jws, ctx.now(), body.passkey),
  }),
  route({
    method: 'GET', path: '/v1/wallet/merchants', tag: 'wallet', auth: ['wallet'], response: WalletMerchants,
    summary: "Merchants this wallet's payments and mandates involve, by name, with their proven sites: what the mandate form offers",
    read: ({ ctx, principal }) => walletMerchants(ctx.db, principal.id).then((merchants) => ({ merchants })),
  }),
  route({
    method: 'GET', path: '/v1/wallet/records', tag: 'wallet', auth: ['wallet'],
    query: z.object({
      actorId: text().max(100).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      cursor: text().max(300).optional(),
      before: z.iso.datetime().optional(),
    }),
    response: z.object({ records: z.array(WalletRecord), nextCursor: z.string().nullable() }),
    summary: 'Everything bought by AI, newest first, each labelled with the agent or device that bought it and with its story; page on with ?cursor=<nextCursor>',
    read: ({ ctx, principal, query }) => listRecords(ctx.db, principal.id, query, ctx.now()),
  }),
  route({
    method: 'GET', path: '/v1/wallet/records/{id}', tag: 'wallet', auth: ['wallet'], response: WalletRecord,
    summary: "One payment (by its intent id) with its story: where it stands now, in the words every view shows",
    read: ({ ctx, principal, params }) => getRecord(ctx.db, principal.id, params.id!, ctx.now()),
  }),
  route({
    method: 'POST', path: '/v1/wallet/records/{id}/reverse', tag: 'wallet', auth: ['wallet'],
    body: z.object({ reason: multilineText().max(300).optional() }).strict(),
    summary: 'Reverse a payment: refund what was charged, end an unused token, or deny a held intent',
    command: ({ ctx, tx, outbox, principal, params, body }) => reverseRecord(ctx, tx, outbox, principal.id, params.id!, body.reason),
  }),
  route({
    method: 'POST', path: '/v1/wallet/intents/{id}/cancel', tag: 'wallet', auth: ['wallet'], body: CancelRequest,
    summary: "End a payment whose checkout is gone: a held intent stops waiting, an approved token nobody charged is revoked; anything charged, answered or expired is left as it is",
    command: ({ ctx, tx, outbox, principal, params, body }) => cancelIntent(tx, outbox, { walletId: principal.id }, params.id!, body.reason, ctx.now()),
  }),
  route({
    method: 'GET', path: '/v1/wallet/spending', tag: 'wallet', auth: ['wallet'], query: z.object({ by: z.enum(['category', 'month']).default('month') }),
    summary: 'Net spending (charged minus refunded) by category or by month',
    read: ({ ctx, principal, query }) => spending(ctx.db, principal.id, query.by).then((rows) => ({ by: query.by, rows })),
  }),
  route({
    method: 'GET', path: '/v1/wallet/credits', tag: 'wallet', auth: ['wallet'], response: WalletCredits,
    summary: "Token Pay: this wallet's credits at each vendor, and the last 30 days' usage by day and model",
    read: ({ ctx, principal }) => walletCredits(ctx.db, principal.id, ctx.now()),
  }),
  route({
    method: 'PUT', path: '/v1/wallet/credits/{id}/auto-top-up', tag: 'wallet', auth: ['wallet'], body: AutoTopUpChange, response: z.object({ autoTopUp: AutoTopUp.nullable() }),
    summary: "Token Pay: let one agent keep this credit account above a threshold (buying `amount` under its mandate when a settle takes it below), or `null` to stop",
    command: ({ tx, principal, params, body }) => setAutoTopUp(tx, principal.id, params.id!, body.autoTopUp),
  }),
  route({
    method: 'GET', path: '/v1/wallet/analysis', tag: 'wallet', auth: ['wallet'], query: AnalysisQuery, response: SpendingAnalysis,
    summary: "The spending analysis in the user's time zone: this month against last by category, top merchants and agents, recurring purchases, budgets and suggestions",
    read: ({ ctx, principal, query }) => spendingAnalysis(ctx.db, principal.id, query.timeZone, ctx.now()),
  }),
  route({
    method: 'GET', path: '/v1/wallet/tasks', tag: 'wallet', auth: ['wallet'], response: z.object({ tasks: z.array(WalletTask) }),
    summary: 'Recent tasks with their latest step, latest payment and story; a task has finished exactly when its story is final',
    read: ({ ctx, principal }) => recentTasks(ctx.db, principal.id, ctx.now()).then((tasks) => ({ tasks })),
  }),
  route({
    method: 'GET', path: '/v1/wallet/tasks/{id}', tag: 'wallet', auth: ['wallet'], summary: "A task's progress timeline",
    read: ({ ctx, principal, params }) => taskTimeline(ctx.db, principal.id, params.id!).then((steps) => ({ taskId: params.id, steps })),
  }),
  route({
    method: 'GET', path: '/v1/wallet/confirmations', tag: 'wallet', auth: ['wallet'],
    summary: 'Intents waiting for the user, oldest first; `taskId` narrows to one task, `waitSeconds` long-polls until one is held',
    query: ConfirmationsQuery, response: z.object({ confirmations: z.array(ConfirmationRequest) }),
    read: async ({ ctx, principal, query, signal }) => ({ confirmations: await pendingConfirmations(ctx, principal.id, query, signal) }),
  }),
  route({
    method: 'POST', path: '/v1/intents/{id}/confirmation', tag: 'wallet', auth: ['wallet'], body: ConfirmationAnswer, response: Intent,
    summary: 'Approve or deny a held intent with a JWS the wallet signed over exactly what it was shown (and a passkey assertion when it needs step-up)',
    command: ({ ctx, tx, outbox, principal, params, body }) => answerIntent(ctx, tx, outbox, wallet(principal), params.id!, body),
  }),
  route({
    method: 'GET', path: '/v1/wallet/events', tag: 'wallet', auth: ['wallet'],
    summary: 'Server-sent events: confirmation requests, intent updates, charges, refunds and task progress, live',
    read: ({ ctx, principal, signal }) => walletEventStream(ctx, principal.id, signal),
  }),
  route({
    method: 'GET', path: '/v1/wallet/actors/{id}', tag: 'wallet', auth: ['wallet'], summary: 'One agent or device',
    read: async ({ ctx, principal, params }) => {
      await ownActor(ctx.db, wallet(principal), params.id!);
      return (await listActors(ctx.db, principal.id, ctx.now())).find((a) => a.id === params.id);
    },
  }),
];
