import { Currency } from '@agentpay/protocol';
import { understandChinese } from './chinese.ts';
import { understandEnglish } from './english.ts';
import { detectLanguage, MAX_TRANSCRIPT_LENGTH, normaliseTranscript } from './text.ts';
import type { Meaning, Utterance } from './utterance.ts';

export interface UnderstandOptions {
  /**
   * The currency of a bare number said right after "pay" ("pay 35 to Joe",
   * "付35给茶叶店"), e.g. the wallet's currency. Without it such a number is
   * no amount: the SDK never guesses a currency.
   */
  defaultCurrency?: string;
}

/**
 * What a transcript from the maker's speech engine means to a payment, in
 * Chinese or English: a request to pay (with the category, amount and payee
 * said), a confirmation, a cancellation, or unknown. It never throws on what
 * was heard; only a malformed `defaultCurrency` (a programming error) throws.
 *
 * Its reading is cautious: any "no" (cancel, 不, don't confirm) wins over
 * everything else, and a confirmation must be nothing but yes-words, so that
 * chatter is never taken for a yes. A request needs a verb ("pay", 付, 交):
 * "what's the parking fee?" is unknown.
 */
export function understand(transcript: string, options: UnderstandOptions = {}): Utterance {
  const { defaultCurrency } = options;
  if (defaultCurrency !== undefined && !Currency.safeParse(defaultCurrency).success) {
    throw new TypeError(`defaultCurrency must be an upper-case ISO 4217 code such as "CNY", got ${JSON.stringify(defaultCurrency)}`);
  }
  if (typeof transcript !== 'string') return { kind: 'unknown', lang: 'en', transcript: '' };
  const lang = detectLanguage(transcript);
  let meaning: Meaning = { kind: 'unknown' };
  if (transcript.length <= MAX_TRANSCRIPT_LENGTH) {
    const text = normaliseTranscript(transcript);
    try {
      if (text) meaning = lang === 'zh' ? understandChinese(text, defaultCurrency) : understandEnglish(text, defaultCurrency);
    } catch {
      // A reader's bug must not break the conversation: the device asks again.
      meaning = { kind: 'unknown' };
    }
  }
  return { ...meaning, lang, transcript } as Utterance;
}
