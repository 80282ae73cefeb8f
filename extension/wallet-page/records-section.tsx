import type { WalletRecord } from '@agentpay/protocol';
import { ErrorNote } from './error-note.tsx';
import { RecordRow } from './record-row.tsx';
import type { Loaded } from './use-wallet-data.ts';

/** Everything bought by AI, newest first, each with the agent that bought it. */
export function RecordsSection({ records, onChanged }: { records: Loaded<WalletRecord[]>; onChanged: () => void }) {
  const rows = records.data && [...records.data].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <section aria-labelledby="records-heading">
      <h2 id="records-heading">Bought by AI</h2>
      <ErrorNote error={records.error} />
      {!rows && !records.error && <p class="muted">Loading…</p>}
      {rows && rows.length === 0 && <p class="muted">Nothing bought yet.</p>}
      {rows && rows.length > 0 && (
        <div class="scroll">
          <table class="records">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Agent</th>
                <th scope="col">Merchant</th>
                <th scope="col">Amount</th>
                <th scope="col">What happened</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((record) => (
                <RecordRow key={record.id} record={record} onChanged={onChanged} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
