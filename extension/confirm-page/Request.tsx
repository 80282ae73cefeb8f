import { formatMoney } from '@agentpay/protocol/display';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { PendingCheckout } from '../shared/state.ts';
import { merchantNotes } from './merchant-notes.ts';
import { TimeLeft } from './TimeLeft.tsx';
import { useArmed } from './use-armed.ts';
import { whatIsBought } from './what-is-bought.ts';
import { SELF_AGENT } from '../shared/self-agent.ts';

const SHAPE_NAMES: Record<PendingCheckout['shape'], string> = {
  'card-form': 'the shop\'s card form',
  'card-request': 'a card sent by the page\'s script',
  'payment-request': 'the browser\'s Payment Request',
  'http-402': 'an HTTP 402 payment',
  provider: 'a wallet request from the page',
  qr: 'a scan-to-pay QR code',
  'remote-agent': 'an agent outside this browser (connected with an agent code)',
};

/** Reasons that only repeat the mandate line above them. */
const SAID_BY_THE_RULE = new Set(['no_mandate', 'confirm_each']);

/**
 * Answering takes the wallet's key, the relay's client and the contract's schemas: loaded once a
 * request is on screen, while the person reads it, not before the window can show anything.
 */
const answering = () => import('./answer.ts');

/**
 * One held payment, laid out as a person checks it: whom it pays (the site the browser saw first,
 * and whether the merchant proved it), how much and for what, who asks, where the money comes from,
 * which of the user's rules sent it here, the risk notes, and the time left to answer.
 */
export function Request({ checkout }: { checkout: PendingCheckout }) {
  const { confirmation } = checkout;
  const { claims, merchant } = confirmation;
  const [armed, isArmedNow] = useArmed(checkout.intentId);
  const [busy, setBusy] = useState<'approve' | 'deny' | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const idle = requestIdleCallback(() => void answering());
    return () => cancelIdleCallback(idle);
  }, []);
  const notes = merchantNotes(checkout);
  const bought = whatIsBought(checkout);
  const money = (minor: number) => formatMoney({ minor, currency: claims.amount.currency });
  // "No mandate, so the user confirms" says again what the rule line says; the other reasons and every risk note stay.
  const notesInWords = [...confirmation.reasons.filter((r) => !SAID_BY_THE_RULE.has(r.code)), ...confirmation.risk];

  async function decide(event: MouseEvent, decision: 'approve' | 'deny') {
    // Only a person's click counts: synthetic events (isTrusted false) never approve.
    if (!event.isTrusted || busy) return;
    if (decision === 'approve' && !isArmedNow()) return;
    setBusy(decision);
    setError(null);
    const { answer, explain } = await answering();
    try {
      await answer(checkout, decision);
    } catch (cause) {
      setError(await explain(cause));
      setBusy(null);
    }
  }

  const expired = () => void browser.runtime.sendMessage({ type: 'request.expired', intentId: checkout.intentId }).catch(() => undefined);

  return (
    <article class="request" aria-label={`Payment of ${formatMoney(claims.amount)} to ${merchant.name}`} data-intent-id={checkout.intentId}>
      <p class={`site ${notes.siteProven ? 'proven' : 'unproven'}`}>
        <span data-field="origin" data-proven={String(notes.siteProven)}>{notes.site}</span>
        <span class="badge">{notes.siteProven ? 'site proven by the merchant' : 'site not proven'}</span>
      </p>
      <p class="payee">
        {checkout.agentName === SELF_AGENT ? <span data-field="agent">You are paying</span> : <><span data-field="agent">{confirmation.actorName}</span> wants to pay</>}{' '}
        <strong data-field="merchant">{merchant.name}</strong>
      </p>
      {/* Element Timing: the bench times the window by when this amount is painted (bench/extension.ts). */}
      <h2 class="amount" elementtiming="request-amount">{formatMoney(claims.amount)}</h2>
      <TimeLeft expiresAt={confirmation.expiresAt} onExpired={expired} />
      {notes.warnings.map((note) => (
        <p key={note.text} class="warn" role="alert" data-code={note.code}>{note.text}</p>
      ))}
      <section aria-label="What is bought" class="bought">
        {bought.items.length > 0 && (
          <table>
            <tbody>
              {bought.items.map((item, index) => (
                <tr key={index}>
                  <td>{item.name}</td>
                  <td class="num">{item.quantity} × {money(item.unitMinor)}</td>
                  <td class="num">{money(item.quantity * item.unitMinor)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {bought.summary && <p class="summary" data-field="summary">{bought.summary}</p>}
      </section>
      <dl class="facts">
        <dt>Paid from</dt>
        <dd data-field="funding">{confirmation.fundingSource ?? 'your AgentPay wallet'}<span class="muted">, as a one-time card good for this payment only</span></dd>
        <dt>Your rule</dt>
        <dd data-field="mandate">
          {confirmation.mandate?.description ?? (confirmation.mandateId ? 'This agent\'s mandate sends this payment to you.' : 'No mandate is set for this agent, so it asks you before every payment.')}
          {confirmation.mandate?.budgetLeft && <span data-field="budget-left"> {formatMoney(confirmation.mandate.budgetLeft)} of the budget is left.</span>}
        </dd>
        <dt>Through</dt>
        <dd>{SHAPE_NAMES[checkout.shape]}</dd>
        {checkout.cardSentTo && checkout.cardSentTo !== checkout.origin && (
          <>
            <dt>Card goes to</dt>
            <dd data-field="card-sent-to">{checkout.cardSentTo}</dd>
          </>
        )}
      </dl>
      {notesInWords.length > 0 && (
        <ul aria-label="Why you are asked" class="reasons">
          {notesInWords.map((reason) => (
            <li key={reason.code} data-code={reason.code}>{capitalised(reason.message)}</li>
          ))}
        </ul>
      )}
      {confirmation.stepUp && <p class="warn">This amount needs your passkey as well.</p>}
      {error && <p class="error" role="alert">{error}</p>}
      <div class="actions">
        <button type="button" onClick={(event) => decide(event, 'deny')} disabled={busy !== null}>
          {busy === 'deny' ? 'Rejecting…' : 'Reject'}
        </button>
        <button type="button" class="primary" onClick={(event) => decide(event, 'approve')} disabled={!armed || busy !== null}>
          {busy === 'approve' ? 'Approving…' : 'Approve'}
        </button>
      </div>
    </article>
  );
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
