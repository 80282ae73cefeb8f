import type { ConfirmationMethod } from '../profiles/profiles.ts';
import type { Utterance } from '../voice/index.ts';

/** How the user answered a read-back. */
export type Answer =
  | { kind: 'confirm'; method: ConfirmationMethod; utterance?: Utterance; at: Date }
  | { kind: 'cancel'; method: ConfirmationMethod | 'timeout' | 'superseded' | 'closed'; utterance?: Utterance; at: Date };

interface OpenQuestion {
  resolve(answer: Answer): void;
  /** Armed once the read-back has been spoken. */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Arms `timer` anyway this long after asking. */
  ceiling?: ReturnType<typeof setTimeout>;
}

/** The longest a read-back is taken to play before the time to answer starts regardless. */
const MAX_SPEECH_MS = 30_000;

/**
 * The one question a device may have open: "About to pay … Say confirm or
 * cancel." A new question cancels an open one (the user moved on); no
 * answer within the time allowed is a cancel, never a yes.
 */
export class PendingConfirmation {
  #open: OpenQuestion | null = null;

  get isOpen(): boolean {
    return this.#open !== null;
  }

  /**
   * Opens the question and resolves with the answer. The user has `withinMs`
   * from when `spoken` settles (the read-back finished playing), not from when
   * it started: a long read-back must not eat the time to answer.
   */
  ask(withinMs: number, now: () => Date, spoken: Promise<unknown> = Promise.resolve()): Promise<Answer> {
    this.answer({ kind: 'cancel', method: 'superseded', at: now() });
    return new Promise((resolve) => {
      const open: OpenQuestion = { resolve, timer: undefined };
      this.#open = open;
      const arm = () => {
        if (this.#open !== open || open.timer !== undefined) return;
        open.timer = setTimeout(() => this.answer({ kind: 'cancel', method: 'timeout', at: now() }), withinMs);
      };
      spoken.then(arm, arm);
      // A speech engine that never says it finished (audio focus lost) must not leave the question open for ever.
      open.ceiling = setTimeout(arm, MAX_SPEECH_MS);
    });
  }

  /** Answers the open question; false when none is open. */
  answer(answer: Answer): boolean {
    const open = this.#open;
    if (!open) return false;
    this.#open = null;
    clearTimeout(open.timer);
    clearTimeout(open.ceiling);
    open.resolve(answer);
    return true;
  }
}
