import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { Reply } from '../shared/messages.ts';
import type { AmountRequest as Asked } from '../shared/state.ts';

/**
 * A card checkout whose page shows no total the wallet could read: the user
 * says what the shop asks for. Nothing is paid here; the amount goes to the
 * relay and comes back as a payment to approve, like any other.
 */
export function AmountRequest({ request }: { request: Asked }) {
  const [value, setValue] = useState('');
  const [currency, setCurrency] = useState(request.currency ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(event: Event, given: boolean) {
    event.preventDefault();
    // Only a person's click or Enter counts: synthetic events (isTrusted false) never name an amount.
    if (!event.isTrusted || busy) return;
    setBusy(true);
    setError(null);
    const message = given
      ? { type: 'amount.given', checkoutId: request.checkoutId, amount: { value: value.trim(), currency: currency.trim().toUpperCase() } }
      : { type: 'amount.refused', checkoutId: request.checkoutId };
    const reply = (await browser.runtime.sendMessage(message)) as Reply;
    if (!reply.ok) setError(reply.error.message);
    setBusy(false);
  }

  return (
    <article aria-label={`Amount needed for ${request.merchant.name}`} data-checkout-id={request.checkoutId}>
      <h2>How much does {request.merchant.name} ask?</h2>
      <dl>
        <dt>Site</dt>
        <dd data-field="origin">{request.merchant.origin}</dd>
        <dt>Agent</dt>
        <dd data-field="agent">{request.agentName}</dd>
        {request.cardSentTo && request.cardSentTo !== request.merchant.origin && (
          <>
            <dt>Card goes to</dt>
            <dd data-field="card-sent-to">{request.cardSentTo}</dd>
          </>
        )}
      </dl>
      <p class="warn" data-field="why">
        The page shows no order total AgentPay can read ({request.why}). Say what the shop asks for; you approve it next, and the
        shop can charge no more.
      </p>
      <form onSubmit={(event) => send(event, true)}>
        <label>
          Amount <input name="amount" inputMode="decimal" required pattern="\d{1,12}([.,]\d{1,4})?" value={value} onInput={(e) => setValue(e.currentTarget.value.replace(',', '.'))} />
        </label>
        <label>
          Currency <input name="currency" required pattern="[A-Za-z]{3}" maxLength={3} value={currency} onInput={(e) => setCurrency(e.currentTarget.value)} />
        </label>
        {error && <p class="error" role="alert">{error}</p>}
        <div class="actions">
          <button type="button" onClick={(event) => send(event, false)} disabled={busy}>Reject</button>
          <button type="submit" class="primary" disabled={busy}>Continue</button>
        </div>
      </form>
    </article>
  );
}
