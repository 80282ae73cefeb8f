import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

// The same Chart.js the spending analysis draws with (spending/bar-chart.tsx): a canvas only, under the
// extension's CSP; registering what a bar chart needs again is harmless.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface StackSeries {
  label: string;
  /** One value per label, in major units. */
  values: number[];
}

/** Colours of the page's light and dark themes (credits.css), taken in turn by the series. */
const SERIES_VARS = ['--series-1', '--series-2', '--series-3', '--series-4', '--series-5', '--series-6'];
const FALLBACK = ['#3b82f6', '#f59e0b', '#10b981', '#8b5cf6', '#ef4444', '#64748b'];

/**
 * Vertical bars stacked by series over named categories (days), drawn by Chart.js. The canvas is one
 * image to assistive technology, named by `summary`; the numbers are in the table the caller puts beside it.
 * The series' names are also on the box (`data-series`), for whoever checks what was drawn.
 */
export function StackedBarChart({ labels, series, summary, unit }: { labels: string[]; series: StackSeries[]; summary: string; unit: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const style = getComputedStyle(canvas.current);
    const color = (name: string, fallback = '#3b82f6') => style.getPropertyValue(name).trim() || fallback;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.values,
          backgroundColor: color(SERIES_VARS[i % SERIES_VARS.length]!, FALLBACK[i % FALLBACK.length]),
          borderRadius: 2,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        color: color('--fg'),
        scales: {
          x: { stacked: true, ticks: { color: color('--muted'), autoSkip: true, maxRotation: 0 }, grid: { display: false } },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: unit, color: color('--muted') }, ticks: { color: color('--muted') }, grid: { color: color('--line') } },
        },
        plugins: { legend: { display: true, position: 'bottom', labels: { color: color('--fg') } } },
      },
    });
    return () => chart.destroy();
  }, [JSON.stringify({ labels, series, unit })]);
  return (
    <div class="chart-canvas stacked" data-series={JSON.stringify(series.map((s) => s.label))}>
      <canvas ref={canvas} role="img" aria-label={summary}>
        {summary}
      </canvas>
    </div>
  );
}
