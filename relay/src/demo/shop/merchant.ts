import type { Charge, Merchant, PublicJwk } from '@agentpay/protocol';
import { generateSigningKey, PublicJwk as PublicJwkSchema, RelayHttpClient } from '@agentpay/protocol';
import { exportJWK, importJWK, type JWK } from 'jose';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORY, SHOP_NAME } from './catalog.ts';
import type { CardCharge, Order } from './orders.ts';

export const KEY_FILE = 'demo-shop-key.json';

export interface MerchantKey {
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
}

/**
 * The shop's signing key. It is kept (as a private JWK, owner-only) so the
 * shop stays the same merchant across restarts: the relay knows merchants by
 * key, and the agents' mandates name the merchant id.
 */
export async function loadMerchantKey(dataDir: string, file = KEY_FILE): Promise<MerchantKey> {
  const path = join(dataDir, file);
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(path, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the demo shop key ${path}: ${(error as Error).message}`);
    const fresh = await generateSigningKey({ extractable: true });
    jwk = await exportJWK(fresh.privateKey);
    mkdirSync(dataDir, { recursive: true });
    try {
      // 'wx': if another process wrote the key meanwhile, keep theirs.
      writeFileSync(path, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
      jwk = JSON.parse(readFileSync(path, 'utf8')) as JWK;
    }
  }
  const privateKey = (await importJWK({ ...jwk, alg: 'ES256' }, 'ES256')) as CryptoKey;
  return { privateKey, publicJwk: PublicJwkSchema.parse({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }) };
}

/**
 * Registers (or re-registers) the shop with the relay, self-signed. The relay
 * keys merchants by their key's thumbprint, so a restart keeps the same id.
 * It prices in CNY, which tells wallets that its "¥" is yuan, not yen.
 */
export async function registerShop(relayUrl: string, key: MerchantKey, origin: string): Promise<Merchant> {
  const self = new RelayHttpClient(relayUrl, { id: 'self', privateKey: key.privateKey });
  return self.post<Merchant>('/v1/merchants', { name: SHOP_NAME, publicKey: key.publicJwk, origins: [origin], currency: 'CNY', category: CATEGORY });
}

/**
 * The merchant side of a payment: charge the agent's token for the order.
 * The order id is the Idempotency-Key, so a pay retried after a lost answer
 * replays the first charge at the relay instead of making a second one.
 */
export function chargeWith(client: RelayHttpClient) {
  return (order: Order, token: string) =>
    client.post<Charge>('/v1/merchant/charges', { token, amount: order.amount, reference: order.orderId }, { idempotencyKey: order.orderId });
}

/**
 * The card-form side: the relay takes the card details of a token in place of
 * its secret. A real card is not a token, so the relay refuses it and the page
 * shows why. Same Idempotency-Key as chargeWith: a refused charge is not kept
 * by the relay, and a paid order is never charged again by the shop.
 */
export function chargeCardWith(client: RelayHttpClient) {
  return (order: Order, card: CardCharge) =>
    client.post<Charge>('/v1/merchant/charges', { card, amount: order.amount, reference: order.orderId }, { idempotencyKey: order.orderId });
}

/** Reads one of the shop's charges back from the relay, with what has been refunded of it. */
export function readChargeWith(client: RelayHttpClient) {
  return (chargeId: string) => client.get<Charge>(`/v1/merchant/charges/${encodeURIComponent(chargeId)}`, { signal: AbortSignal.timeout(3_000) });
}
