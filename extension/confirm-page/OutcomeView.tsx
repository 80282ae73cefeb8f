import { formatMoney, PAYMENT_STATE_LABELS } from '@agentpay/protocol/display';
import { browser } from 'wxt/browser';
import type { Outcome } from '../shared/state.ts';

/** Headings a person reads first, per state: the same words as everywhere else, capitalised. */
function heading(outcome: Outcome): string {
  const label = PAYMENT_STATE_LABELS[outcome.state];
  return `${label.charAt(0).toUpperCase()}${label.slice(1)}`;
}

/**
 * What came of one request the window showed, in one sentence, until the user
 * has seen it: "Paid 58.00 CNY to Demo Tea Shop.", "Expired: nothing was paid. …".
 */
export function OutcomeView({ outcome }: { outcome: Outcome }) {
  const what = outcome.amount ? `${formatMoney(outcome.amount)} to ${outcome.merchantName}` : outcome.merchantName;
  return (
    <article class={`outcome ${outcome.state}`} aria-label={`Outcome: ${what}`} data-outcome-state={outcome.state}>
      <h2 class="outcome-state">{heading(outcome)} · <span class="muted">{what}</span></h2>
      <p role="status" data-field="outcome">{outcome.sentence}</p>
      <div class="actions">
        <button type="button" onClick={() => void browser.runtime.sendMessage({ type: 'outcome.dismiss', id: outcome.id })}>Done</button>
      </div>
    </article>
  );
}
