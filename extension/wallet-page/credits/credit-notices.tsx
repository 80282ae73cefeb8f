import { type CreditNotice, noticeIsAlert, noticeText } from './notices.ts';

/** News of automatic top-ups as it arrives on the event stream: a balance fell low, and how its top-up ended. */
export function CreditNotices({ notices, vendorName, onDismiss }: { notices: readonly CreditNotice[]; vendorName: (vendorId: string) => string; onDismiss: (topUpId: string) => void }) {
  if (notices.length === 0) return null;
  return (
    <ul class="credit-notices" aria-label="Credit notices">
      {notices.map((n) => (
        <li key={n.topUpId} class={noticeIsAlert(n) ? 'error' : 'notice'} data-top-up-id={n.topUpId} data-status={n.topUp?.status ?? 'low'}>
          <span role={noticeIsAlert(n) ? 'alert' : 'status'}>{noticeText(n, vendorName(n.vendorId))}</span>
          <button type="button" class="link" onClick={() => onDismiss(n.topUpId)}>
            Dismiss
          </button>
        </li>
      ))}
    </ul>
  );
}
