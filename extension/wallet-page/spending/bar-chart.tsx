import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

// Chart.js rather than uPlot: it draws grouped horizontal bars over named categories as they are
// (uPlot is made for time series; bars and category axes need hand-built paths), it only paints a
// canvas (no eval, no injected styles, so the extension's CSP `script-src 'self'` holds), and it is
// tree-shaken: about 160 KB minified, 56 KB gzipped, on the wallet page only (never in content
// scripts or the confirmation window). Only what horizontal bar charts need is registered.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface BarSeries {
  label: string;
  values: number[];
  /** A CSS custom property of the page (light and dark themes), e.g. "--bar". */
  colorVar: string;
}

const ROW_PX = 34;

/**
 * Horizontal bars drawn by Chart.js on a canvas. The canvas is one image to assistive technology,
 * named by `summary`; the numbers themselves are in the table the caller puts beside it.
 */
export function BarChart({ labels, series, summary, unit }: { labels: string[]; series: BarSeries[]; summary: string; unit: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const style = getComputedStyle(canvas.current);
    const color = (name: string) => style.getPropertyValue(name).trim() || '#3b82f6';
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: color(s.colorVar), borderRadius: 3 })) },
      options: {
        indexAxis: 'y',
        // Still numbers appear at once: no motion to wait for or to be distracted by.
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        color: color('--fg'),
        scales: {
          x: { beginAtZero: true, title: { display: true, text: unit, color: color('--muted') }, ticks: { color: color('--muted') }, grid: { color: color('--line') } },
          y: { ticks: { color: color('--fg') }, grid: { display: false } },
        },
        plugins: { legend: { display: series.length > 1, labels: { color: color('--fg') } } },
      },
    });
    return () => chart.destroy();
  }, [JSON.stringify({ labels, series, unit })]);
  const height = Math.max(2, labels.length) * ROW_PX * Math.max(1, series.length * 0.75) + 50;
  return (
    <div class="chart-canvas" style={{ height: `${height}px` }}>
      <canvas ref={canvas} role="img" aria-label={summary}>
        {summary}
      </canvas>
    </div>
  );
}
