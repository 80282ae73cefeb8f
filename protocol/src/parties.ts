import * as z from 'zod';
import { displayText } from './display-text.ts';
import { text } from './text.ts';
import { OriginCheck } from './merchant-origin.ts';
import { Category } from './intent.ts';
import { Currency } from './money.ts';
import { PasskeyRegistration, StepUpSettings, StepUpThresholds } from './passkey.ts';
import { PublicJwk } from './signatures.ts';

/** Names are shown to the user when a payment is confirmed: normalised, and refused when they could mislead. */
const Name = displayText(120, 'name is required');

/** The user's wallet: the extension or another app holding the user's key. */
export const WalletRegistration = z
  .object({
    name: Name,
    publicKey: PublicJwk,
    pairingCode: text().min(1, 'pairingCode is required').max(100),
    /** A passkey whose user-verified assertion approving above a threshold also needs. */
    passkey: PasskeyRegistration.optional(),
    stepUp: StepUpSettings.optional(),
  })
  .strict();
export type WalletRegistration = z.infer<typeof WalletRegistration>;

export const Wallet = z.object({ id: z.string(), name: z.string(), createdAt: z.string() });
export type Wallet = z.infer<typeof Wallet>;

/** `GET /v1/wallet`: the wallet with its step-up settings (the passkey's public parts only). */
export const WalletSettings = Wallet.extend({
  passkey: z.object({ credentialId: z.string(), rpId: z.string(), origin: z.string(), algorithm: z.number() }).nullable(),
  stepUp: z.object({ thresholds: StepUpThresholds }),
});
export type WalletSettings = z.infer<typeof WalletSettings>;

/**
 * `POST /v1/wallet/unpair`: what unpairing ended on the relay. The agents and
 * devices were revoked and their held payments declined; records stay.
 */
export const WalletUnpaired = z.object({
  walletId: z.string(),
  revoked: z.array(z.object({ id: z.string(), name: z.string() })),
  declinedPayments: z.number().int().min(0),
});
export type WalletUnpaired = z.infer<typeof WalletUnpaired>;

/** Status of an agent or device: paused and revoked take effect on the next request. */
export const ActorStatus = z.enum(['active', 'paused', 'revoked']);
export type ActorStatus = z.infer<typeof ActorStatus>;

export const DeviceProfile = z.enum(['cockpit', 'glasses', 'earphones', 'other']);
export type DeviceProfile = z.infer<typeof DeviceProfile>;

/** Registered by a wallet: the agent's or device's own public key. */
export const ActorRegistration = z
  .object({
    kind: z.enum(['agent', 'device']),
    name: Name,
    publicKey: PublicJwk,
    /** Devices only: what kind of device, which decides how it may confirm. */
    profile: DeviceProfile.optional(),
  })
  .strict();
export type ActorRegistration = z.infer<typeof ActorRegistration>;

export const Actor = z.object({
  id: z.string(),
  kind: z.enum(['agent', 'device']),
  walletId: z.string(),
  name: z.string(),
  status: ActorStatus,
  profile: DeviceProfile.nullable(),
  createdAt: z.string(),
});
export type Actor = z.infer<typeof Actor>;

/** Merchants register themselves with their key and the web origins they sell from. */
export const MerchantRegistration = z
  .object({
    name: Name,
    publicKey: PublicJwk,
    origins: z.array(z.url({ protocol: /^https?$/, error: 'origins must be http(s) URLs' })).max(20).default([]),
    /** ISO 18245 merchant category code, when known. */
    mcc: z.string().regex(/^\d{4}$/, 'mcc is a four-digit merchant category code').optional(),
    /**
     * The currency the merchant prices in by default. Wallets use it to read totals
     * whose symbol several currencies share (¥, $, kr); it never overrides a stated code.
     */
    currency: Currency.optional(),
    /**
     * What the merchant sells by default: a payment to it that names no category takes this one,
     * so the same purchase is one category whichever way its checkout was read.
     */
    category: Category.optional(),
  })
  .strict();
export type MerchantRegistration = z.infer<typeof MerchantRegistration>;

export const Merchant = z.object({
  id: z.string(),
  name: z.string(),
  /** The origins the merchant claims, proven or not. */
  origins: z.array(z.string()),
  /**
   * The claimed origins whose proof (MERCHANT_ORIGIN_PROOF_PATH) the relay fetched and verified:
   * only these find the merchant by origin and count as its checkouts' origins.
   */
  provenOrigins: z.array(z.string()),
  mcc: z.string().nullable(),
  /** The merchant's registered default currency (ISO 4217), or null when it registered none. */
  currency: z.string().nullable(),
  /** The merchant's registered default category, or null when it registered none. */
  category: Category.nullable(),
  createdAt: z.string(),
});
export type Merchant = z.infer<typeof Merchant>;

/** The answer to registering a merchant or re-checking its origins: each claimed origin, proven or why not. */
export const MerchantRegistered = Merchant.extend({ originChecks: z.array(OriginCheck) });
export type MerchantRegistered = z.infer<typeof MerchantRegistered>;

/** A merchant with its public key, so a wallet can verify what the merchant signed. */
export const MerchantWithKey = Merchant.extend({
  publicKey: z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string() }),
});
export type MerchantWithKey = z.infer<typeof MerchantWithKey>;
