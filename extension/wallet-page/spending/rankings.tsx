import type { SpendingAnalysis, SpendingShare } from '@agentpay/protocol';
import { formatMoney } from '@agentpay/protocol';
import { BarChart } from './bar-chart.tsx';
import { byCurrency, major, rankingSummary } from './labels.ts';

interface Row {
  id: string;
  name: string;
  thisMonth?: SpendingShare;
  allTime?: SpendingShare;
}

/** This month's and all time's top shares of one currency, merged by who (this month's order first). */
function merge(thisMonth: SpendingShare[], allTime: SpendingShare[]): Row[] {
  const rows = new Map<string, Row>();
  for (const s of thisMonth) rows.set(s.id, { id: s.id, name: s.name, thisMonth: s });
  for (const s of allTime) rows.set(s.id, { ...(rows.get(s.id) ?? { id: s.id, name: s.name }), allTime: s });
  return [...rows.values()];
}

/** The top merchants or agents, this month and of all time, per currency: a chart and its table. */
export function Ranking({ title, who, ranking }: { title: string; who: string; ranking: SpendingAnalysis['topMerchants'] }) {
  const groups = byCurrency([...ranking.thisMonth, ...ranking.allTime]).map(([currency]) => currency);
  const id = `${who.toLowerCase()}-ranking-heading`;
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {groups.length === 0 && <p class="muted">Nothing paid yet.</p>}
      {groups.map((currency) => {
        const rows = merge(ranking.thisMonth.filter((s) => s.currency === currency), ranking.allTime.filter((s) => s.currency === currency));
        const money = (share?: SpendingShare) => formatMoney({ minor: share?.minor ?? 0, currency });
        return (
          <figure class="chart" key={currency}>
            <BarChart
              labels={rows.map((r) => r.name)}
              series={[
                { label: 'This month', values: rows.map((r) => major(r.thisMonth?.minor ?? 0, currency)), colorVar: '--bar' },
                { label: 'All time', values: rows.map((r) => major(r.allTime?.minor ?? 0, currency)), colorVar: '--bar-before' },
              ]}
              summary={rankingSummary(`${title} this month`, currency, ranking.thisMonth.filter((s) => s.currency === currency))}
              unit={currency}
            />
            <figcaption>
              <details>
                <summary>Show as a table ({currency})</summary>
                <table>
                  <caption>{title} in {currency}</caption>
                  <thead>
                    <tr><th scope="col">{who}</th><th scope="col" class="amount">This month</th><th scope="col" class="amount">All time</th><th scope="col" class="amount">Payments, all time</th></tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.id}>
                        <th scope="row">{r.name}</th>
                        <td class="amount">{money(r.thisMonth)}</td>
                        <td class="amount">{money(r.allTime)}</td>
                        <td class="amount">{r.allTime?.payments ?? 0}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </figcaption>
          </figure>
        );
      })}
    </section>
  );
}
