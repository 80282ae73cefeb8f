import { formatMoney, ProtocolError } from '@agentpay/protocol';
import { useState } from 'preact/hooks';
import type { PendingCheckout } from '../shared/state.ts';
import { answer } from './answer.ts';
import { merchantNotes } from './merchant-notes.ts';
import { useArmed } from './use-armed.ts';

const SHAPE_NAMES: Record<PendingCheckout['shape'], string> = {
  'card-form': 'card form',
  'card-request': 'card sent by the page\'s script',
  'payment-request': 'Payment Request',
  'http-402': 'HTTP 402 payment',
  provider: 'wallet request',
  qr: 'scan-to-pay QR code',
  'remote-agent': 'an agent outside this browser (connected with an agent code)',
};

/**
 * One held payment: whom it pays (first the origin the browser saw, and whether the merchant proved it),
 * who asks, what, how much, and under which mandate.
 */
export function Request({ checkout }: { checkout: PendingCheckout }) {
  const { confirmation } = checkout;
  const { claims, merchant } = confirmation;
  const [armed, isArmedNow] = useArmed(checkout.intentId);
  const [busy, setBusy] = useState<'approve' | 'deny' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const notes = merchantNotes(checkout);
  const money = (minor: number) => formatMoney({ minor, currency: claims.amount.currency });

  async function decide(event: MouseEvent, decision: 'approve' | 'deny') {
    // Only a person's click counts: synthetic events (isTrusted false) never approve.
    if (!event.isTrusted || busy) return;
    if (decision === 'approve' && !isArmedNow()) return;
    setBusy(decision);
    setError(null);
    try {
      await answer(checkout, decision);
    } catch (cause) {
      setError(cause instanceof ProtocolError ? `${cause.code}: ${cause.message}` : (cause as Error).message);
      setBusy(null);
    }
  }

  return (
    <article aria-label={`Payment of ${formatMoney(claims.amount)} to ${merchant.name}`} data-intent-id={checkout.intentId}>
      <h2>{formatMoney(claims.amount)}</h2>
      <dl>
        <dt>Site</dt>
        <dd class="origin">
          <span data-field="origin" data-proven={String(notes.siteProven)}>{notes.site}</span>
          {notes.siteProven && <span class="muted"> (proven by the merchant)</span>}
        </dd>
        <dt>Merchant</dt>
        <dd data-field="merchant">{merchant.name}</dd>
        <dt>Agent</dt>
        <dd data-field="agent">{confirmation.actorName}</dd>
        <dt>How</dt>
        <dd>{SHAPE_NAMES[checkout.shape]}</dd>
        {checkout.cardSentTo && checkout.cardSentTo !== checkout.origin && (
          <>
            <dt>Card goes to</dt>
            <dd data-field="card-sent-to">{checkout.cardSentTo}</dd>
          </>
        )}
        <dt>Mandate</dt>
        <dd data-field="mandate">{confirmation.mandateId ?? 'none: this agent asks you for every payment'}</dd>
      </dl>
      {notes.warnings.map((note) => (
        <p key={note.text} class="warn" role="alert" data-code={note.code}>{note.text}</p>
      ))}
      {claims.lineItems.length > 0 && (
        <table>
          <tbody>
            {claims.lineItems.map((item, index) => (
              <tr key={index}>
                <td>{item.name}</td>
                <td class="num">{item.quantity} × {money(item.unitMinor)}</td>
                <td class="num">{money(item.quantity * item.unitMinor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {checkout.description && <p class="muted">{checkout.description}</p>}
      <ul aria-label="Why you are asked">
        {[...confirmation.reasons, ...confirmation.risk].map((reason) => (
          <li key={reason.code} data-code={reason.code}>{reason.message}</li>
        ))}
      </ul>
      {confirmation.stepUp && <p class="warn">This amount needs your passkey as well.</p>}
      {error && <p class="error" role="alert">{error}</p>}
      <div class="actions">
        <button type="button" onClick={(event) => decide(event, 'deny')} disabled={busy !== null}>
          Reject
        </button>
        <button type="button" class="primary" onClick={(event) => decide(event, 'approve')} disabled={!armed || busy !== null}>
          {busy === 'approve' ? 'Approving…' : 'Approve'}
        </button>
      </div>
    </article>
  );
}
