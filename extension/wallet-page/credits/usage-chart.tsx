import { formatMoney } from '@agentpay/protocol';
import { major } from '../spending/labels.ts';
import { dayLabel, type VendorCredits } from './labels.ts';
import { StackedBarChart } from './stacked-bar-chart.tsx';
import { daysWithUsage, USAGE_DAYS, usageGrid, usageSummary } from './usage-grid.ts';

/** Usage by model and day over the last 30 days: a stacked bar chart (one colour per model) and the table behind it. */
export function UsageChart({ credits }: { credits: VendorCredits }) {
  const grid = usageGrid(credits, new Date());
  const unitOf = (model: string | null) => credits.prices.find((p) => p.model === model)?.unit ?? 'units';
  const money = (minor: number) => formatMoney({ minor, currency: grid.currency });
  const headingId = `usage-${credits.accountId}`;
  const rows = daysWithUsage(grid);
  return (
    <section aria-labelledby={headingId}>
      <h4 id={headingId}>Usage by model and day</h4>
      {grid.models.length === 0 ? (
        <p class="muted">No usage in the last {USAGE_DAYS} days.</p>
      ) : (
        <figure class="chart">
          <StackedBarChart
            labels={grid.days.map(dayLabel)}
            series={grid.models.map((m) => ({ label: m.label, values: m.minor.map((minor) => major(minor, grid.currency)) }))}
            summary={usageSummary(credits.vendor.name, grid, unitOf)}
            unit={grid.currency}
          />
          <figcaption>
            <details>
              <summary>Show as a table ({credits.vendor.name})</summary>
              <table>
                <caption>Usage at {credits.vendor.name} by day and model, in {grid.currency}</caption>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    {grid.models.map((m) => <th key={m.label} scope="col" class="amount">{m.label}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((day) => {
                    const i = grid.days.indexOf(day);
                    return (
                      <tr key={day}>
                        <th scope="row"><time dateTime={day}>{dayLabel(day)}</time></th>
                        {grid.models.map((m) => <td key={m.label} class="amount">{money(m.minor[i]!)}</td>)}
                      </tr>
                    );
                  })}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">Last {USAGE_DAYS} days</th>
                    {grid.models.map((m) => (
                      <td key={m.label} class="amount">
                        {money(m.totalMinor)}
                        <div class="muted">{m.requests} {m.requests === 1 ? 'request' : 'requests'}, {m.units.toLocaleString('en')} {unitOf(m.model)}</div>
                      </td>
                    ))}
                  </tr>
                </tfoot>
              </table>
            </details>
          </figcaption>
        </figure>
      )}
    </section>
  );
}
