/** What the simulator prints: numbered steps, and one line per thing that happened, in columns. */
export interface Printer {
  log(line: string): void;
  step(title: string): void;
}

export function createPrinter(write: (line: string) => void = (line) => console.log(line)): Printer {
  let stepNo = 0;
  return {
    log: write,
    step: (title) => write(`\n${++stepNo}. ${title}`),
  };
}
