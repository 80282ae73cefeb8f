import { formatMoney, type Money, type WalletRecord } from '@agentpay/protocol';
import { useRef, useState } from 'preact/hooks';
import { reverseRecord } from './api.ts';
import { ErrorNote } from './error-note.tsx';
import { paymentAction, refundQuestion, reversalText } from './payment-actions.ts';
import { StoryText } from './story-text.tsx';
import { useAction } from './use-action.ts';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Asks before money moves back: a modal dialog naming the amount and the shop, with Cancel and Refund. */
function RefundDialog({ amount, merchant, onRefund, busy }: { amount: Money; merchant: string; onRefund: () => void; busy: boolean }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const question = refundQuestion(amount, merchant);
  const headingId = useRef(`refund-${Math.random().toString(36).slice(2)}`).current;
  return (
    <>
      <button type="button" disabled={busy} onClick={() => dialog.current?.showModal()} title={question}>
        Refund
      </button>
      <dialog ref={dialog} class="ask" aria-labelledby={headingId}>
        <h3 id={headingId}>{question}</h3>
        <p>{merchant} is told of the refund, and {formatMoney(amount)} goes back to you. This cannot be undone.</p>
        <form method="dialog" class="actions">
          <button type="submit" autoFocus>
            Cancel
          </button>
          <button type="button" class="danger" onClick={() => { dialog.current?.close(); onRefund(); }}>
            Refund
          </button>
        </form>
      </dialog>
    </>
  );
}

/** One purchase, labelled with the agent that made it, its story, and a way to undo it while that is still possible. */
export function RecordRow({ record, onChanged }: { record: WalletRecord; onChanged: () => void }) {
  const [result, setResult] = useState<string | undefined>(undefined);
  const merchant = record.merchantName || record.merchantId;
  const reverse = useAction(async () => {
    setResult(reversalText(await reverseRecord(record.id), merchant));
    onChanged();
  });
  const action = paymentAction(record);

  return (
    <tr data-record-id={record.id} data-agent-name={record.boughtBy.name} data-state={record.story.state}>
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
        {record.refundAsked && (
          <div class="refund-asked" role="note">
            {record.boughtBy.name} asks for a refund: {record.refundAsked.reason}
          </div>
        )}
      </td>
      <td class="amount">{formatMoney(record.amount)}</td>
      <td>
        <StoryText story={record.story} onTimeUp={onChanged} />
      </td>
      <td>
        {action?.kind === 'refund' && <RefundDialog amount={action.amount} merchant={merchant} busy={reverse.busy} onRefund={() => void reverse.run()} />}
        {action?.kind === 'cancel' && (
          <button type="button" disabled={reverse.busy} onClick={() => void reverse.run()} title={`Cancel the approved ${formatMoney(record.amount)} at ${merchant}`}>
            Cancel payment
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
