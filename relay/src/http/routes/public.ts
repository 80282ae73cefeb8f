import { Merchant, MerchantRegistration, MerchantWithKey, text, Wallet, WalletRegistration } from '@agentpay/protocol';
import * as z from 'zod';
import { getMerchant, merchantsAtOrigin, registerMerchant, registerWallet } from '../../identity/register.ts';
import { route } from '../route.ts';

export const publicRoutes = [
  route({
    method: 'GET', path: '/v1/health', tag: 'public', auth: 'none', summary: 'Is the relay up, and on which store',
    response: z.object({ ok: z.boolean(), store: z.string() }),
    read: async ({ ctx }) => {
      await ctx.db.query('SELECT 1');
      return { ok: true, store: ctx.db.engine };
    },
  }),
  route({
    method: 'POST', path: '/v1/wallets', tag: 'public', auth: 'self', status: 201, body: WalletRegistration, response: Wallet,
    summary: "Pair a wallet with this relay (needs the relay's pairing code), optionally with a passkey and step-up thresholds",
    command: ({ ctx, tx, body }) => registerWallet(tx, body, ctx.pairingCode),
  }),
  route({
    method: 'POST', path: '/v1/merchants', tag: 'public', auth: 'self', status: 201, body: MerchantRegistration, response: Merchant,
    summary: 'Register a merchant by its key and origins',
    command: ({ tx, body }) => registerMerchant(tx, body),
  }),
  route({
    method: 'GET', path: '/v1/merchants', tag: 'public', auth: 'none',
    query: z.object({ origin: text({ error: 'origin is required, e.g. ?origin=http://127.0.0.1:8788' }).min(1, 'origin is required').max(300) }),
    response: z.object({ merchants: z.array(Merchant) }),
    summary: 'The merchants registered for a checkout origin (exact match after URL normalisation), for wallets',
    read: async ({ ctx, query }) => ({ merchants: await merchantsAtOrigin(ctx.db, query.origin) }),
  }),
  route({
    method: 'GET', path: '/v1/merchants/{id}', tag: 'public', auth: 'none', response: MerchantWithKey,
    summary: "A merchant as the relay knows it, with its public key (JWK) to verify what it signs, such as a payment code",
    read: ({ ctx, params }) => getMerchant(ctx.db, params.id!),
  }),
];
