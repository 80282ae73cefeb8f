import type { Category, Money } from '@agentpay/protocol';
import type { FoundAmount } from './found-amount.ts';
import type { Language } from './text.ts';

interface Said {
  /** The language it was said in, and the one to answer in. */
  lang: Language;
  /** The transcript exactly as the speech engine gave it. */
  transcript: string;
}

/**
 * A request to pay. Each detail is there only if it was said: a device fills
 * the gaps from what it knows (the parking gate it stands at) or asks.
 */
export interface PayUtterance extends Said {
  kind: 'pay';
  category?: Category;
  amount?: Money;
  /** Who to pay, as said: "the tea shop", "茶叶店". */
  payee?: string;
}

/** "confirm", "确认": yes to what was just read back. */
export interface ConfirmUtterance extends Said {
  kind: 'confirm';
}

/** "cancel", "取消", "don't confirm": no, pay nothing. */
export interface CancelUtterance extends Said {
  kind: 'cancel';
}

/** Anything else: questions, chatter, silence. The device asks again. */
export interface UnknownUtterance extends Said {
  kind: 'unknown';
}

/** What a transcript means to a payment, as `understand` reads it. */
export type Utterance = PayUtterance | ConfirmUtterance | CancelUtterance | UnknownUtterance;

/** What a language's reader makes of a transcript, before language and transcript are added. */
export type Meaning =
  | { kind: 'pay'; category?: Category; amount?: Money; payee?: string }
  | { kind: 'confirm' | 'cancel' | 'unknown' };

/**
 * The last step of both languages' readers, once a no and a question are
 * ruled out: nothing but yes-words is a confirmation, a pay verb makes a
 * request (with what was said of it), anything else is unknown.
 */
export function yesOrRequest(said: { verb: boolean; found?: FoundAmount; category?: Category; payee?: string }, isYes: () => boolean): Meaning {
  const { verb, found, category, payee } = said;
  if (!found && !category && !payee && isYes()) return { kind: 'confirm' };
  if (!verb) return { kind: 'unknown' };
  return {
    kind: 'pay',
    ...(category && { category }),
    ...(found?.money && { amount: found.money }),
    ...(payee && { payee }),
  };
}
