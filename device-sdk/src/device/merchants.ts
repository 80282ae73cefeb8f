import { MerchantWithKey } from '@agentpay/protocol';
import type { RelayConnection } from '../connection/connection.ts';
import { newRequestId } from '../connection/request-id.ts';

/** How long a merchant's record is trusted before it is asked for again (keys and origins can change). */
const KEEP_MS = 10 * 60_000;

/** Why a merchant could not be looked up; `code` is the relay's error code. */
export class MerchantLookupError extends Error {
  override name = 'MerchantLookupError';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * Merchants as the relay knows them (`merchant.get`): the name to read back,
 * the origins a notify URL must be on, the key a payment code must be signed
 * with. Kept for a while, so that the next gate of the same operator costs no
 * round trip.
 */
export class MerchantDirectory {
  readonly #known = new Map<string, { merchant: Promise<MerchantWithKey>; at: number }>();

  constructor(private readonly connection: RelayConnection) {}

  get(merchantId: string): Promise<MerchantWithKey> {
    const known = this.#known.get(merchantId);
    if (known && Date.now() - known.at < KEEP_MS) return known.merchant;
    const merchant = this.#fetch(merchantId);
    this.#known.set(merchantId, { merchant, at: Date.now() });
    merchant.catch(() => this.#known.delete(merchantId));
    return merchant;
  }

  async #fetch(merchantId: string): Promise<MerchantWithKey> {
    const answer = await this.connection.request({ type: 'merchant.get', requestId: newRequestId('mer'), merchantId });
    if (answer.type === 'error') throw new MerchantLookupError(answer.error.code, answer.error.message);
    const parsed = answer.type === 'merchant' ? MerchantWithKey.safeParse(answer.merchant) : undefined;
    if (!parsed?.success) throw new MerchantLookupError('unexpected_answer', `the relay answered ${answer.type} when asked for merchant ${merchantId}`);
    return parsed.data;
  }
}
