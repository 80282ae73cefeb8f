import type { SpendingAnalysis } from '@agentpay/protocol';
import { budgetSentence, habitSentence } from './labels.ts';

/** Plain sentences drawn from the user's own records. */
export function Suggestions({ analysis }: { analysis: SpendingAnalysis }) {
  return (
    <section aria-labelledby="suggestions-heading">
      <h3 id="suggestions-heading">Suggestions</h3>
      {analysis.suggestions.length === 0 ? (
        <p class="muted">Nothing to suggest yet: suggestions come from your own payments, budgets and approvals.</p>
      ) : (
        <ul class="suggestions" aria-labelledby="suggestions-heading">
          {analysis.suggestions.map((s) => <li key={s.text} data-kind={s.kind}>{s.text}</li>)}
        </ul>
      )}
    </section>
  );
}

/** What each budget (quota mandate) has left and when it renews, as the relay's decisions count it. */
export function Budgets({ analysis }: { analysis: SpendingAnalysis }) {
  return (
    <section aria-labelledby="budgets-heading">
      <h3 id="budgets-heading">Budgets</h3>
      {analysis.budgets.length === 0 ? (
        <p class="muted">No agent has a budget. Give one a budget (quota) mandate above to see here what it has left.</p>
      ) : (
        <ul class="budgets" aria-labelledby="budgets-heading">
          {analysis.budgets.map((b) => (
            <li key={b.actorId}>
              <span>{budgetSentence(b, analysis.timeZone)}</span>
              <progress max={b.budget.minor} value={Math.min(b.spent.minor, b.budget.minor)} aria-label={`${b.actorName}: ${b.usedPercent}% of the budget used`} class={b.usedPercent >= 80 ? 'nearly-spent' : ''} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Purchases the wallet noticed repeating: the same shop and amount every week or month. */
export function Habits({ analysis }: { analysis: SpendingAnalysis }) {
  return (
    <section aria-labelledby="recurring-heading">
      <h3 id="recurring-heading">Recurring purchases</h3>
      {analysis.recurring.length === 0 ? (
        <p class="muted">None noticed yet: the wallet looks for the same shop and amount every week or month, three times or more.</p>
      ) : (
        <ul aria-labelledby="recurring-heading">
          {analysis.recurring.map((r) => <li key={`${r.merchantId} ${r.amount.minor}`}>{habitSentence(r, analysis.timeZone)}</li>)}
        </ul>
      )}
    </section>
  );
}
