import { type Money, ProtocolError, type Vendor, type VendorPrice, type VendorPriceList } from '@agentpay/protocol';
import type { Queryable } from '../store/database.ts';

interface PriceRow {
  model: string;
  unit: string;
  currency: string;
  per_million_minor: string | number;
}

const toPrice = (row: PriceRow): VendorPrice => ({
  model: row.model, unit: row.unit, perMillion: { minor: Number(row.per_million_minor), currency: row.currency },
});

/** A vendor's price list, A to Z by model. */
export async function vendorPrices(db: Queryable, vendorId: string): Promise<VendorPrice[]> {
  const rows = await db.query<PriceRow>('SELECT model, unit, currency, per_million_minor FROM vendor_prices WHERE vendor_id = $1 ORDER BY model', [vendorId]);
  return rows.map(toPrice);
}

/** Any merchant may sell metered usage; its price list makes it a vendor wallets can read. */
export async function readVendor(db: Queryable, vendorId: string): Promise<Vendor> {
  const [merchant] = await db.query<{ id: string; name: string }>('SELECT id, name FROM merchants WHERE id = $1', [vendorId]);
  if (!merchant) throw new ProtocolError('not_found', `no vendor ${vendorId}`, 404);
  return { id: merchant.id, name: merchant.name, prices: await vendorPrices(db, vendorId) };
}

/** Replaces the vendor's price list as a whole (a PUT: sending it again changes nothing). */
export async function setVendorPrices(tx: Queryable, vendorId: string, list: VendorPriceList): Promise<Vendor> {
  await tx.query('DELETE FROM vendor_prices WHERE vendor_id = $1', [vendorId]);
  for (const price of list.prices) {
    await tx.query(
      'INSERT INTO vendor_prices (vendor_id, model, unit, currency, per_million_minor) VALUES ($1, $2, $3, $4, $5)',
      [vendorId, price.model, price.unit, price.perMillion.currency, price.perMillion.minor],
    );
  }
  return readVendor(tx, vendorId);
}

/**
 * What `units` of a priced model cost, rounded up to a whole minor unit (a vendor never bills
 * fractions, and rounding down would let a stream of tiny requests run free).
 */
export async function priceOfUnits(db: Queryable, vendorId: string, model: string | undefined, units: number, currency: string): Promise<Money> {
  const [row] = model === undefined ? [] : await db.query<PriceRow>(
    'SELECT model, unit, currency, per_million_minor FROM vendor_prices WHERE vendor_id = $1 AND model = $2', [vendorId, model],
  );
  if (!row) {
    throw new ProtocolError('model_not_priced', model === undefined
      ? 'a settle without amount must name the model whose price the units are charged at'
      : `model ${model} has no price at vendor ${vendorId}: send amount, or add the model with PUT /v1/vendor/prices`, 422);
  }
  if (row.currency !== currency) throw new ProtocolError('currency_mismatch', `model ${model} is priced in ${row.currency}, the account is in ${currency}`, 422);
  const exact = BigInt(units) * BigInt(row.per_million_minor);
  const minor = (exact + 999_999n) / 1_000_000n;
  return { minor: Number(minor), currency };
}
