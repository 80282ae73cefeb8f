import {
  Charge, CreditAccount, CreditPurchase, CreditRefund, CreditRefundRequest, Usage, UsageReserve, UsageSettle, UsageStatement, UsageStatementQuery, Vendor, VendorPriceList,
} from '@agentpay/protocol';
import * as z from 'zod';
import { buyCredits, toCreditAccount, vendorAccount, vendorAccounts } from '../../credits/accounts.ts';
import { refundCredits } from '../../credits/refunds.ts';
import { usageStatement } from '../../credits/statement.ts';
import { releaseUsage, reserveUsage, settleUsage } from '../../credits/usage.ts';
import { readVendor, setVendorPrices } from '../../credits/vendors.ts';
import { route } from '../route.ts';

/** Token Pay for vendors (merchants selling metered usage), signed with the vendor's merchant key. */
export const vendorRoutes = [
  route({
    method: 'PUT', path: '/v1/vendor/prices', tag: 'merchant', auth: ['merchant'], body: VendorPriceList, response: Vendor,
    summary: 'Register as a vendor, or change prices: the whole price list (model, unit, price per million units) at once',
    command: ({ tx, principal, body }) => setVendorPrices(tx, principal.id, body),
  }),
  route({
    method: 'GET', path: '/v1/vendors/{id}', tag: 'public', auth: 'none', response: Vendor,
    summary: "A vendor's name and price list",
    read: ({ ctx, params }) => readVendor(ctx.db, params.id!),
  }),
  route({
    method: 'POST', path: '/v1/vendor/credits', tag: 'merchant', auth: ['merchant'], status: 201, body: CreditPurchase,
    response: z.object({ charge: Charge, account: CreditAccount }),
    summary: "Sell credits: charge the agent's token, and the amount becomes its wallet's credits here (the answer names the credit account)",
    command: ({ ctx, tx, outbox, principal, body }) => buyCredits(ctx, tx, outbox, principal.id, body),
  }),
  route({
    method: 'GET', path: '/v1/vendor/credit-accounts', tag: 'merchant', auth: ['merchant'], response: z.object({ accounts: z.array(CreditAccount) }),
    summary: "This vendor's credit accounts, newest first (the last 500): a relay top-up opens one before the customer ever calls",
    read: async ({ ctx, principal }) => ({ accounts: await vendorAccounts(ctx.db, principal.id) }),
  }),
  route({
    method: 'GET', path: '/v1/vendor/credit-accounts/{id}', tag: 'merchant', auth: ['merchant'], response: CreditAccount,
    summary: 'A credit account as this vendor sees it: balance, reserved, available',
    read: async ({ ctx, principal, params }) => toCreditAccount(await vendorAccount(ctx.db, principal.id, params.id!)),
  }),
  route({
    method: 'POST', path: '/v1/vendor/usage', tag: 'merchant', auth: ['merchant'], status: 201, body: UsageReserve, response: Usage,
    summary: 'Before serving a request: reserve at most this much of the account (402 insufficient_credits when it cannot cover it); the same usageId again is the same reserve',
    command: ({ ctx, tx, principal, body }) => reserveUsage(ctx, tx, principal.id, body),
  }),
  route({
    method: 'POST', path: '/v1/vendor/usage/{usageId}/settle', tag: 'merchant', auth: ['merchant'], body: UsageSettle, response: Usage,
    summary: 'After serving it: settle what it cost (or the units of a priced model), at most the reserve; the rest goes back',
    command: ({ ctx, tx, outbox, principal, params, body }) => settleUsage(ctx, tx, outbox, principal.id, params.usageId!, body),
  }),
  route({
    method: 'POST', path: '/v1/vendor/usage/{usageId}/release', tag: 'merchant', auth: ['merchant'], body: z.object({}).strict(), response: Usage,
    summary: 'Not served: release the whole reserve',
    command: ({ ctx, tx, principal, params }) => releaseUsage(ctx, tx, principal.id, params.usageId!),
  }),
  route({
    method: 'POST', path: '/v1/vendor/credit-accounts/{id}/refunds', tag: 'merchant', auth: ['merchant'], status: 201, body: CreditRefundRequest, response: CreditRefund,
    summary: 'Give credits back (all that is neither spent nor reserved, unless amount says less): refunded through the charges that bought them, newest first',
    command: ({ ctx, tx, outbox, principal, params, body }) => refundCredits(ctx, tx, outbox, principal.id, params.id!, body),
  }),
  route({
    method: 'GET', path: '/v1/vendor/statement', tag: 'merchant', auth: ['merchant'], query: UsageStatementQuery, response: UsageStatement,
    summary: 'Settled usage in [from, to): requests, units and amounts by model',
    read: ({ ctx, principal, query }) => usageStatement(ctx.db, principal.id, query),
  }),
];
