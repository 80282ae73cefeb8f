/** How sure a passing scan must be before it pays, and how long it remembers. */
export interface PassingScanOptions {
  /** Frames that must read the same code before it is paid (default 2): one misread frame never pays. */
  confirmFrames?: number;
  /** Frames with no code (blur, a passing truck) allowed between two reads of the same code (default 3). */
  maxGapFrames?: number;
  /** A code acted on is not acted on again if seen within this many ms (default 10 minutes: the car is still at that gate). */
  rememberMs?: number;
  /** The clock of `rememberMs`, in ms; default `Date.now`. */
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
  /** Codes read recently but not yet often enough, by text; a frame may hold more than one. */
  readonly #candidates = new Map<string, { reads: number; gap: number }>();
  readonly #actedOn = new Map<string, number>();

  constructor(options: PassingScanOptions = {}) {
    this.#confirmFrames = Math.max(1, options.confirmFrames ?? 2);
    this.#maxGap = Math.max(0, options.maxGapFrames ?? 3);
    this.#rememberMs = options.rememberMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Takes the texts decoded from one frame (empty when it had no code); at most one payment comes of a frame. */
  see(texts: readonly string[]): ScanDecision {
    const now = this.#now();
    for (const [text, at] of this.#actedOn) if (now - at > this.#rememberMs) this.#actedOn.delete(text);
    const seen = [...new Set(texts.map((t) => t.trim()).filter(Boolean))];
    for (const [text, candidate] of this.#candidates) {
      if (!seen.includes(text) && ++candidate.gap > this.#maxGap) this.#candidates.delete(text);
    }
    let decision: ScanDecision = { action: 'none' };
    for (const text of seen) {
      if (this.#actedOn.has(text)) {
        this.#actedOn.set(text, now);
        if (decision.action === 'none') decision = { action: 'seen', text };
        continue;
      }
      const candidate = this.#candidates.get(text) ?? { reads: 0, gap: 0 };
      candidate.reads += 1;
      candidate.gap = 0;
      this.#candidates.set(text, candidate);
      // A code read once could be a misread; one read in several frames close together is what the camera sees.
      if (candidate.reads >= this.#confirmFrames && decision.action !== 'pay') {
        this.#candidates.delete(text);
        this.#actedOn.set(text, now);
        decision = { action: 'pay', text };
      }
    }
    return decision;
  }

  /** Forgets a code acted on (its payment never reached the relay), so that the next pass can pay it. */
  forget(text: string): void {
    this.#actedOn.delete(text.trim());
  }
}
