import type { NetCharge } from './totals.ts';

/** A net charge for the table-driven tests: CNY at Tea Shop through Shopping agent unless told otherwise. */
export function charge(at: string, minor: number, extra: Partial<NetCharge> = {}): NetCharge {
  return {
    at: new Date(at), minor, currency: 'CNY', category: 'groceries',
    merchantId: 'mer_tea', merchantName: 'Tea Shop', actorId: 'agt_shop', actorName: 'Shopping agent', ...extra,
  };
}
