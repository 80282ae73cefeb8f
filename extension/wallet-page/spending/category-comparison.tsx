import type { CategoryChange, SpendingAnalysis } from '@agentpay/protocol';
import { describeCategoryChange, formatMoney } from '@agentpay/protocol';
import { BarChart } from './bar-chart.tsx';
import { byCurrency, categoryLabel, major, monthLabel } from './labels.ts';

function change(row: CategoryChange): string {
  if (row.changePercent === null) return 'new';
  if (row.changePercent === 0) return 'same';
  return `${row.changePercent > 0 ? 'up' : 'down'} ${Math.abs(row.changePercent)}%`;
}

/** This month against last by category, per currency: the lines a person reads, a chart, and its table. */
export function CategoryComparison({ analysis }: { analysis: SpendingAnalysis }) {
  const now = monthLabel(analysis.thisMonth.key);
  const before = monthLabel(analysis.lastMonth.key);
  const groups = byCurrency(analysis.byCategory);
  return (
    <section aria-labelledby="by-category-heading">
      <h3 id="by-category-heading">This month against last</h3>
      {groups.length === 0 && <p class="muted">Nothing spent in {before} or {now} yet.</p>}
      {groups.map(([currency, rows]) => {
        const money = (minor: number) => formatMoney({ minor, currency });
        return (
          <figure class="chart" key={currency}>
            <ul class="changes" aria-label={`${now} against ${before} in ${currency}`}>
              {rows.map((r) => <li key={r.category}>{describeCategoryChange(r)}</li>)}
            </ul>
            <BarChart
              labels={rows.map((r) => categoryLabel(r.category))}
              series={[
                { label: before, values: rows.map((r) => major(r.lastMonthMinor, currency)), colorVar: '--bar-before' },
                { label: now, values: rows.map((r) => major(r.thisMonthMinor, currency)), colorVar: '--bar' },
              ]}
              summary={`Spending by category in ${currency}, ${now} against ${before}: ${rows.map(describeCategoryChange).join('; ')}`}
              unit={currency}
            />
            <figcaption>
              <details>
                <summary>Show as a table ({currency})</summary>
                <table>
                  <caption>Spending by category in {currency}, {now} against {before}</caption>
                  <thead>
                    <tr><th scope="col">Category</th><th scope="col" class="amount">{before}</th><th scope="col" class="amount">{now}</th><th scope="col">Change</th></tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.category}>
                        <th scope="row">{categoryLabel(r.category)}</th>
                        <td class="amount">{money(r.lastMonthMinor)}</td>
                        <td class="amount">{money(r.thisMonthMinor)}</td>
                        <td>{change(r)}</td>
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
