import type { BenchConfig } from './config.ts';
import type { Row } from './stats.ts';

export interface SuiteContext {
  config: BenchConfig;
  /** Folder of the results files (bench/results). */
  resultsDir: string;
  /** Progress line on stderr. */
  log(message: string): void;
  /** Findings printed under the suite's table (breakdowns, verdicts). */
  note(message: string): void;
}

/** A group of measurements written to bench/results/<name>.json. */
export interface Suite {
  name: string;
  description: string;
  run(ctx: SuiteContext): Promise<Row[]>;
}
