import type { ConfirmationMethod } from '../profiles/profiles.ts';
import type { Utterance } from '../voice/index.ts';

/** How the user answered a read-back. */
export type Answer =
  | { kind: 'confirm'; method: ConfirmationMethod; utterance?: Utterance; at: Date }
  | { kind: 'cancel'; method: ConfirmationMethod | 'timeout' | 'superseded' | 'closed'; utterance?: Utterance; at: Date };

/**
 * The one question a device may have open: "About to pay … Say confirm or
 * cancel." A new question cancels an open one (the user moved on); no
 * answer within the time allowed is a cancel, never a yes.
 */
export class PendingConfirmation {
  #open: { resolve(answer: Answer): void; timer: ReturnType<typeof setTimeout> } | null = null;

  get isOpen(): boolean {
    return this.#open !== null;
  }

  /** Opens the question and resolves with the answer. */
  ask(withinMs: number, now: () => Date): Promise<Answer> {
    this.answer({ kind: 'cancel', method: 'superseded', at: now() });
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.answer({ kind: 'cancel', method: 'timeout', at: now() }), withinMs);
      this.#open = { resolve, timer };
    });
  }

  /** Answers the open question; false when none is open. */
  answer(answer: Answer): boolean {
    const open = this.#open;
    if (!open) return false;
    this.#open = null;
    clearTimeout(open.timer);
    open.resolve(answer);
    return true;
  }
}
