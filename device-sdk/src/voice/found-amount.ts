import { decimalToMinor, type Money } from '@agentpay/protocol';

/** An amount found in a transcript, and where: the payee is read around it. */
export interface FoundAmount {
  /** Undefined when the number cannot be an amount of that currency (12.345 dollars, or too large). */
  money: Money | undefined;
  start: number;
  end: number;
}

/** Minor units from a whole part and the decimals as said, or undefined if the currency has no such amount. */
export function toMoney(whole: string, decimals: string, currency: string): Money | undefined {
  try {
    return { minor: decimalToMinor(decimals ? `${whole}.${decimals}` : whole, currency), currency };
  } catch {
    return undefined;
  }
}
