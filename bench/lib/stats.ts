/** One line of a suite's results file. */
export interface Row {
  name: string;
  unit: string;
  value: number;
  /** The reference this row is compared against (the store's floor, a broker round trip budget, ...). */
  floor?: number;
  /** value / floor. */
  ratio?: number;
}

/** Latencies (ms) and counts of one kind of operation, summed over rounds. */
export class Sample {
  readonly latencies: number[] = [];
  ops = 0;
  elapsedMs = 0;
  /** ops/s of each round, to show how noisy the machine was. */
  readonly roundRates: number[] = [];

  addRound(latencies: ArrayLike<number>, elapsedMs: number): void {
    for (let i = 0; i < latencies.length; i++) this.latencies.push(latencies[i]!);
    this.ops += latencies.length;
    this.elapsedMs += elapsedMs;
    this.roundRates.push((latencies.length / elapsedMs) * 1000);
  }

  get rate(): number {
    return this.elapsedMs > 0 ? (this.ops / this.elapsedMs) * 1000 : 0;
  }

  percentile(p: number): number {
    return percentile(this.latencies, p);
  }
}

export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** Rounds for JSON: 4 significant digits are plenty on a noisy machine. */
export function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 6)));
}

export function row(name: string, unit: string, value: number, floor?: number): Row {
  const out: Row = { name, unit, value: round(value) };
  if (floor !== undefined && Number.isFinite(floor)) {
    out.floor = round(floor);
    out.ratio = round(value / floor);
  }
  return out;
}

function fmt(value: number | undefined): string {
  if (value === undefined) return '';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(0);
  if (abs >= 100) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/** The rows as an aligned text table. */
export function formatTable(rows: Row[]): string {
  const header = ['name', 'unit', 'value', 'floor', 'ratio'];
  const cells = rows.map((r) => [r.name, r.unit, fmt(r.value), fmt(r.floor), fmt(r.ratio)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
