/** How sure a passing scan must be before it pays, and how long it remembers. */
export interface PassingScanOptions {
  /** Frames that must read the same code before it is paid (default 2): one misread frame never pays. */
  confirmFrames?: number;
  /** Frames with no code (blur, a passing truck) allowed between two reads of the same code (default 3). */
  maxGapFrames?: number;
  /** A code acted on is not acted on again if seen within this many ms (default 10 minutes: the car is still at that gate). */
  rememberMs?: number;
  now?: () => number;
}

/**
 * What to do with this frame:
 * - `none`: nothing yet (no code, or not read often enough);
 * - `pay`: the code was read consistently: pay it, once;
 * - `seen`: a code already acted on, seen again as the car rolls past.
 */
export type ScanDecision = { action: 'none' } | { action: 'pay'; text: string } | { action: 'seen'; text: string };

/**
 * Turns a stream of frames into at most one payment per code. Frames of a car
 * passing a gate show the same code many times; only a code read the same
 * way in several frames close together is paid, and only once.
 */
export class PassingScan {
  readonly #confirmFrames: number;
  readonly #maxGap: number;
  readonly #rememberMs: number;
  readonly #now: () => number;
  #candidate: { text: string; reads: number; gap: number } | null = null;
  readonly #actedOn = new Map<string, number>();

  constructor(options: PassingScanOptions = {}) {
    this.#confirmFrames = Math.max(1, options.confirmFrames ?? 2);
    this.#maxGap = Math.max(0, options.maxGapFrames ?? 3);
    this.#rememberMs = options.rememberMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Takes the texts decoded from one frame (empty when it had no code). */
  see(texts: readonly string[]): ScanDecision {
    const now = this.#now();
    for (const [text, at] of this.#actedOn) if (now - at > this.#rememberMs) this.#actedOn.delete(text);
    const known = texts.find((t) => this.#actedOn.has(t));
    if (known !== undefined) {
      this.#actedOn.set(known, now);
      return { action: 'seen', text: known };
    }
    const text = texts[0];
    if (text === undefined) {
      if (this.#candidate && ++this.#candidate.gap > this.#maxGap) this.#candidate = null;
      return { action: 'none' };
    }
    // A different reading than the last one starts the count again: one of the two was wrong.
    if (this.#candidate?.text !== text) this.#candidate = { text, reads: 0, gap: 0 };
    this.#candidate.reads += 1;
    this.#candidate.gap = 0;
    if (this.#candidate.reads < this.#confirmFrames) return { action: 'none' };
    this.#candidate = null;
    this.#actedOn.set(text, now);
    return { action: 'pay', text };
  }

  /** Forgets a code acted on (its payment failed before reaching the relay), so a new pass can pay it. */
  forget(text: string): void {
    this.#actedOn.delete(text);
  }
}
