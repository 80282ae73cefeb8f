import type { SpendingAnalysis } from '@agentpay/protocol';
import { ErrorNote } from './error-note.tsx';
import { CategoryComparison } from './spending/category-comparison.tsx';
import { Ranking } from './spending/rankings.tsx';
import { Budgets, Habits, Suggestions } from './spending/standing.tsx';
import type { Loaded } from './use-wallet-data.ts';

/**
 * Where the money went and what to do about it, from GET /v1/wallet/analysis in the browser's time
 * zone: suggestions, this month against last, budgets, top merchants and agents, recurring purchases.
 * Amounts are charges net of refunds.
 */
export function SpendingSection({ analysis }: { analysis: Loaded<SpendingAnalysis> }) {
  const data = analysis.data;
  return (
    <section aria-labelledby="spending-heading" class="spending">
      <h2 id="spending-heading">Spending</h2>
      <ErrorNote error={analysis.error} />
      {!data && !analysis.error && <p class="muted">Loading…</p>}
      {data && (
        <>
          <Suggestions analysis={data} />
          <CategoryComparison analysis={data} />
          <Budgets analysis={data} />
          <Ranking title="Top merchants" who="Merchant" ranking={data.topMerchants} />
          <Ranking title="Top agents" who="Agent" ranking={data.topAgents} />
          <Habits analysis={data} />
          <p class="muted">Amounts are what was charged less refunds, by the day of the charge in {data.timeZone}.</p>
        </>
      )}
    </section>
  );
}
