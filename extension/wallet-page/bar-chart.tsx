import { formatMoney } from '@agentpay/protocol';
import { barGeometry, chartSummary, keyLabel, type Series } from './bars.ts';

const LAYOUT = { width: 560, labelWidth: 130, valueWidth: 130, rowHeight: 22, gap: 8 };

/** Horizontal bars for one currency, drawn in SVG, with the same numbers as a table for anyone who prefers it. */
export function BarChart({ series, by }: { series: Series; by: 'category' | 'month' }) {
  const { bars, height } = barGeometry(series.items, LAYOUT);
  const summary = chartSummary(series, by);
  const money = (minor: number) => formatMoney({ minor, currency: series.currency });
  return (
    <figure class="chart">
      <svg role="img" aria-label={summary} viewBox={`0 0 ${LAYOUT.width} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
        <title>{summary}</title>
        {bars.map((bar) => (
          <g key={bar.key}>
            <title>{`${keyLabel(bar.key, by)}: ${money(bar.minor)}`}</title>
            <text x={LAYOUT.labelWidth - 8} y={bar.y + bar.height / 2} text-anchor="end" dominant-baseline="central" class="bar-label">
              {keyLabel(bar.key, by)}
            </text>
            <rect x={bar.x} y={bar.y} width={bar.width} height={bar.height} rx="3" class="bar" />
            <text x={bar.x + bar.width + 6} y={bar.y + bar.height / 2} dominant-baseline="central" class="bar-value">
              {money(bar.minor)}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>
        <details>
          <summary>Show as a table ({series.currency})</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">{by === 'category' ? 'Category' : 'Month'}</th>
                <th scope="col">Spent</th>
                <th scope="col">Payments</th>
              </tr>
            </thead>
            <tbody>
              {series.items.map((i) => (
                <tr key={i.key}>
                  <th scope="row">{keyLabel(i.key, by)}</th>
                  <td class="amount">{money(i.minor)}</td>
                  <td class="amount">{i.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
