import { formatMoney } from '@agentpay/protocol';
import { useState } from 'preact/hooks';
import { type RecordView, reverseRecord } from './api.ts';
import { ErrorNote } from './error-note.tsx';
import { recordState, reversalText } from './summaries.ts';
import { useAction } from './use-action.ts';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** One purchase, labelled with the agent that made it, with a way to undo it while that is still possible. */
export function RecordRow({ record, onChanged }: { record: RecordView; onChanged: () => void }) {
  const [result, setResult] = useState<string | undefined>(undefined);
  const reverse = useAction(async () => {
    setResult(reversalText(await reverseRecord(record.id)));
    onChanged();
  });
  const state = recordState(record);
  const merchant = record.merchantName || record.merchantId;

  return (
    <tr data-record-id={record.id} data-agent-name={record.boughtBy.name} data-status={record.status}>
      <td>
        <time dateTime={record.createdAt}>{when(record.createdAt)}</time>
      </td>
      <td class="agent-name">
        {record.boughtBy.name}
        {record.boughtBy.kind === 'device' && <span class="muted"> (device)</span>}
      </td>
      <td>
        {merchant}
        {record.description && <div class="muted">{record.description}</div>}
      </td>
      <td class="amount">{formatMoney(record.amount)}</td>
      <td>{state.label}</td>
      <td>
        {state.reversible && !result && (
          <button type="button" disabled={reverse.busy} onClick={() => void reverse.run()} aria-label="Reverse" title={`Reverse ${formatMoney(record.amount)} at ${merchant}`}>
            Reverse
          </button>
        )}
        {result && (
          <span class="ok" role="status">
            {result}
          </span>
        )}
        <ErrorNote error={reverse.error} />
      </td>
    </tr>
  );
}
