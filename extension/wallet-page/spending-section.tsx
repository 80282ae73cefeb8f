import { BarChart } from './bar-chart.tsx';
import { seriesByCurrency, type SpendingRow } from './bars.ts';
import { ErrorNote } from './error-note.tsx';
import type { Loaded } from './use-wallet-data.ts';

function Charts({ title, rows, by }: { title: string; rows: Loaded<SpendingRow[]>; by: 'category' | 'month' }) {
  const series = rows.data && seriesByCurrency(rows.data, by === 'category' ? 'amount' : 'key');
  return (
    <div class="charts">
      <h3>{title}</h3>
      <ErrorNote error={rows.error} />
      {!series && !rows.error && <p class="muted">Loading…</p>}
      {series && series.length === 0 && <p class="muted">Nothing spent yet.</p>}
      {series?.map((s) => <BarChart key={s.currency} series={s} by={by} />)}
    </div>
  );
}

/** Net spending (charged minus refunded), one chart per currency. */
export function SpendingSection(props: { byCategory: Loaded<SpendingRow[]>; byMonth: Loaded<SpendingRow[]> }) {
  return (
    <section aria-labelledby="spending-heading">
      <h2 id="spending-heading">Spending</h2>
      <Charts title="By category" rows={props.byCategory} by="category" />
      <Charts title="By month" rows={props.byMonth} by="month" />
    </section>
  );
}
