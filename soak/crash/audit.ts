import { checkLedger, type LedgerReport } from '../../relay/src/ledger/check.ts';
import type { Queryable } from '../../relay/src/store/database.ts';
import type { Witness } from './witness.ts';

export interface AuditReport {
  intents: number;
  charges: number;
  ledger: LedgerReport;
  /** Every way the store disagrees with what the clients were told. */
  discrepancies: string[];
}

/**
 * Compares the store, after the run, with what the clients were told: every
 * intent and charge a client heard of is there once, as told (same id, status,
 * token, amount), and nothing else is there (an intent no client heard of was
 * made by a retry that should have been answered from the first attempt).
 * Then the ledger check.
 */
export async function audit(db: Queryable, walletId: string, witness: Witness): Promise<AuditReport> {
  const discrepancies: string[] = [];
  const intents = await db.query<{ id: string; actor_id: string; status: string; amount_minor: number; token_id: string | null; token_status: string | null }>(
    `SELECT i.id, i.actor_id, i.status, i.amount_minor, t.id AS token_id, t.status AS token_status
     FROM intents i LEFT JOIN tokens t ON t.intent_id = i.id WHERE i.wallet_id = $1`,
    [walletId],
  );
  const stored = new Map(intents.map((row) => [row.id, row]));
  for (const told of witness.intents.values()) {
    const row = stored.get(told.id);
    if (!row) {
      discrepancies.push(`intent ${told.id} (key ${told.key}, ${told.status}) was answered but is not in the store`);
      continue;
    }
    if (row.actor_id !== told.actorId || row.status !== told.status || row.token_id !== told.tokenId || Number(row.amount_minor) !== told.amountMinor) {
      discrepancies.push(
        `intent ${told.id} (key ${told.key}) told ${told.status}/${told.tokenId}/${told.amountMinor} by ${told.actorId}, ` +
          `stored ${row.status}/${row.token_id}/${row.amount_minor} by ${row.actor_id}`,
      );
    }
  }
  for (const row of intents) {
    if (!witness.intents.has(row.id)) discrepancies.push(`intent ${row.id} of ${row.actor_id} (${row.status}) is stored but no client was told of it`);
  }

  const charges = await db.query<{ id: string; token_id: string; intent_id: string; amount_minor: number }>(
    'SELECT id, token_id, intent_id, amount_minor FROM charges WHERE wallet_id = $1',
    [walletId],
  );
  const storedCharges = new Map(charges.map((row) => [row.id, row]));
  for (const told of witness.charges.values()) {
    const row = storedCharges.get(told.id);
    if (!row) discrepancies.push(`charge ${told.id} (key ${told.key}) was answered but is not in the store`);
    else if (row.token_id !== told.tokenId || row.intent_id !== told.intentId || Number(row.amount_minor) !== told.amountMinor) {
      discrepancies.push(`charge ${told.id} told ${told.tokenId}/${told.amountMinor}, stored ${row.token_id}/${row.amount_minor}`);
    }
  }
  for (const row of charges) {
    if (!witness.charges.has(row.id)) discrepancies.push(`charge ${row.id} of token ${row.token_id} is stored but no merchant was told of it`);
  }
  for (const told of witness.intents.values()) {
    const charged = told.tokenId !== null && witness.chargeByToken.has(told.tokenId);
    const tokenStatus = stored.get(told.id)?.token_status;
    if (charged && tokenStatus !== 'charged') discrepancies.push(`token ${told.tokenId} was charged but is ${tokenStatus}`);
  }

  const ledger = await checkLedger(db);
  for (const problem of ledger.problems) discrepancies.push(`ledger check, ${problem.check}: ${problem.detail}`);
  return { intents: intents.length, charges: charges.length, ledger, discrepancies };
}
