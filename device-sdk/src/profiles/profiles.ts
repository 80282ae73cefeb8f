import type { Category, Money } from '@agentpay/protocol';
import type { PaymentRequest } from '../payments/types.ts';

/** How a user may say yes on a device: by voice, or by a tap on a touch surface. */
export type ConfirmationMethod = 'voice' | 'tap';

/** What a kind of device may do, and how its user confirms. */
export interface DeviceProfile {
  name: 'cockpit' | 'glasses' | 'earphones';
  /** The confirmations this device accepts; any other is refused. */
  confirmations: readonly ConfirmationMethod[];
  /** Intents say the car is being driven, which the mandate's `whileDriving` rules look for. */
  driving: boolean;
  /** `everything`: every step is spoken (no screen); `payments`: what is about to be paid, and the outcome. */
  speaks: 'everything' | 'payments';
  /**
   * Payments the device sends without asking its user first. The relay still
   * decides each one by the user's mandate, which may hold it for the wallet.
   */
  paysWithoutAsking(request: Pick<PaymentRequest, 'amount' | 'category'>): boolean;
}

export interface CockpitOptions {
  /** Categories paid while driving without a spoken "confirm" (default parking and tolls). */
  categories?: Category[];
  /** Up to this amount, in its currency (default 50.00 CNY). Other currencies are always asked. */
  limit?: Money;
}

/**
 * A car's cockpit, while driving: voice only, never a screen tap (a driver's
 * eyes stay on the road); parking and tolls under a limit pay as the car
 * passes the gate, everything else is read back and waits for "confirm".
 */
export function cockpit(options: CockpitOptions = {}): DeviceProfile {
  const categories = options.categories ?? ['parking', 'tolls'];
  const limit = options.limit ?? { minor: 50_00, currency: 'CNY' };
  return {
    name: 'cockpit',
    confirmations: ['voice'],
    driving: true,
    speaks: 'payments',
    paysWithoutAsking: ({ amount, category }) =>
      categories.includes(category) && amount.currency === limit.currency && amount.minor <= limit.minor,
  };
}

/** Glasses: look at a shop's code, then say "confirm" or tap the frame. Every payment is asked. */
export function glasses(): DeviceProfile {
  return { name: 'glasses', confirmations: ['voice', 'tap'], driving: false, speaks: 'payments', paysWithoutAsking: () => false };
}

/** Earphones: no screen at all, so every step is read back and only the voice confirms. */
export function earphones(): DeviceProfile {
  return { name: 'earphones', confirmations: ['voice'], driving: false, speaks: 'everything', paysWithoutAsking: () => false };
}
