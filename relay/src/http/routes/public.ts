import {
  MERCHANT_ORIGIN_PROOF_PATH, Merchant, MerchantRegistered, MerchantRegistration, MerchantWithKey, ProtocolError, text, Wallet, WalletRegistration,
} from '@agentpay/protocol';
import * as z from 'zod';
import {
  claimedOrigins, getMerchant, merchantsAtOrigin, recordOriginChecks, registerMerchant, registerWallet,
} from '../../identity/register.ts';
import { checkOrigins } from '../../merchant/origin-proof.ts';
import { route } from '../route.ts';

export const publicRoutes = [
  route({
    method: 'GET', path: '/v1/health', tag: 'public', auth: 'none',
    summary: 'Is the relay up, and on which store: 200 with ok:true, or 503 with ok:false while the store cannot be reached',
    response: z.object({ ok: z.boolean(), store: z.string() }),
    // Off the payment pool and bounded (Database.ping), so it answers even when payments are stuck.
    read: async ({ ctx }) => {
      const ok = await ctx.db.ping().then(() => true, () => false);
      const body = { ok, store: ctx.db.engine };
      return ok ? body : Response.json(body, { status: 503 });
    },
  }),
  route({
    method: 'POST', path: '/v1/wallets', tag: 'public', auth: 'self', status: 201, body: WalletRegistration, response: Wallet,
    summary: "Pair a wallet with this relay (needs the relay's pairing code; wrong codes are throttled with 429), optionally with a passkey and step-up thresholds",
    command: async ({ ctx, tx, body, source }) => {
      // The code is judged (and guesses counted) here; a code the relay made is held for this pairing and then replaced.
      const ticket = ctx.pairing.admit(body.pairingCode, source);
      try {
        const wallet = await registerWallet(tx, body, ticket.code);
        ticket.used();
        return wallet;
      } catch (error) {
        ticket.release();
        throw error;
      }
    },
  }),
  route({
    method: 'POST', path: '/v1/merchants', tag: 'public', auth: 'self', status: 201, body: MerchantRegistration, response: MerchantRegistered,
    summary: `Register a merchant by its key and origins; each origin counts once proven by the signed file it serves at ${MERCHANT_ORIGIN_PROOF_PATH}`,
    prepare: ({ body }) => checkOrigins(claimedOrigins(body), body.publicKey),
    command: ({ ctx, tx, body, prepared }) => registerMerchant(tx, body, prepared, ctx.now()),
  }),
  route({
    method: 'POST', path: '/v1/merchants/{id}/origins/verify', tag: 'merchant', auth: ['merchant'], response: MerchantRegistered,
    summary: `Fetch and verify the proofs (${MERCHANT_ORIGIN_PROOF_PATH}) of your claimed origins again, e.g. after serving one`,
    prepare: async ({ ctx, principal, params }) => {
      if (params.id !== principal.id) throw new ProtocolError('forbidden', `merchant ${principal.id} cannot verify the origins of merchant ${params.id}`, 403);
      const merchant = await getMerchant(ctx.db, principal.id);
      return checkOrigins(merchant.origins, merchant.publicKey);
    },
    command: ({ ctx, tx, principal, prepared }) => recordOriginChecks(tx, principal.id, prepared, ctx.now()),
  }),
  route({
    method: 'GET', path: '/v1/merchants', tag: 'public', auth: 'none',
    query: z.object({ origin: text({ error: 'origin is required, e.g. ?origin=http://127.0.0.1:8788' }).min(1, 'origin is required').max(300) }),
    response: z.object({ merchants: z.array(Merchant) }),
    summary: 'The merchants that proved a checkout origin (exact match after URL normalisation), for wallets; claimed but unproven origins find nothing',
    read: async ({ ctx, query }) => ({ merchants: await merchantsAtOrigin(ctx.db, query.origin) }),
  }),
  route({
    method: 'GET', path: '/v1/merchants/{id}', tag: 'public', auth: 'none', response: MerchantWithKey,
    summary: "A merchant as the relay knows it, with its public key (JWK) to verify what it signs, such as a payment code",
    read: ({ ctx, params }) => getMerchant(ctx.db, params.id!),
  }),
];
