import { findAmount, findBareAmount, type FoundAmount } from './amounts.ts';
import { findCategory } from './categories.ts';
import { type Meaning, yesOrRequest } from './utterance.ts';

const PAY_VERB = /\b(?:pay|paying|settle|payment)\b/i;

/** Any of these anywhere (outside the payee's name) makes it a no: a wrong "no" pays nothing, a wrong "yes" pays. */
const CANCEL_WORDS = new Set([
  'cancel', 'cancelled', 'canceled', 'stop', 'abort', 'no', 'nope', 'nah', "don't", 'dont', 'not', "doesn't", 'never',
  'nevermind', 'wait', 'hold', 'forget', 'decline', 'reject', 'refuse', 'wrong', 'negative',
]);
const QUESTION_WORDS = new Set([
  'what', "what's", 'whats', 'how', "how's", 'why', 'when', 'where', 'who', 'which', 'whose', 'is', 'are', 'was', 'were',
  'does', 'did', 'should', 'shall',
]);
const LEADING_FILLER = new Set(['so', 'and', 'um', 'uh', 'er', 'hey', 'well', 'oh', 'ok', 'okay']);
const CONFIRM_PHRASES = /\b(?:go ahead|do it|sounds good|looks good|all right|that's right|that is right)\b/gi;
const CONFIRM_WORDS = new Set([
  'confirm', 'confirmed', 'yes', 'yeah', 'yep', 'yup', 'sure', 'ok', 'okay', 'approve', 'approved', 'correct', 'proceed',
  'affirmative', 'right', 'alright', 'fine', 'agree', 'agreed',
]);
/** Words that may surround a confirmation without changing it: "yes please", "confirm the payment", "ok pay". */
const CONFIRM_FILLER = new Set([
  'please', 'the', 'it', 'that', 'this', 'now', 'then', 'so', 'and', 'i', 'we', 'um', 'uh', 'er', 'hmm', 'well', 'oh', 'just',
  'thanks', 'thank', 'you', 'pay', 'payment', 'paying', 'is', 'go',
]);
/** "… to the tea house, no wait, 53": the user is changing what they said, so nothing said can be trusted. */
const CORRECTION = /\b(?:no wait|wait|sorry|i mean|actually|no no|not that)\b/i;
const TRAILING_FILLER = /(?:\s+(?:please|now|right now|thanks|thank you|then))+$/i;

const wordsOf = (text: string) => text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? [];

/**
 * The payee is what follows "to" after the verb ("pay 35 yuan to the tea shop"),
 * up to "for …" or an amount; it is cut out so its words count neither as a
 * category nor as a "no" ("to Bus Stop Cafe").
 */
function splitPayee(text: string, verbEnd: number, amount: FoundAmount | undefined): { payee?: string; rest: string } {
  const to = /\bto\s+/i.exec(text.slice(verbEnd));
  if (!to) return { rest: text };
  const start = verbEnd + to.index + to[0].length;
  let end = text.length;
  if (amount && amount.start >= start) end = amount.start;
  const forClause = /\s+for\s+/i.exec(text.slice(start, end));
  if (forClause) end = start + forClause.index;
  const payee = text.slice(start, end).replace(TRAILING_FILLER, '').trim();
  const rest = `${text.slice(0, verbEnd + to.index)} ${text.slice(end)}`;
  return payee ? { payee, rest } : { rest: text };
}

function isQuestion(words: readonly string[]): boolean {
  const first = words.find((word) => !LEADING_FILLER.has(word));
  return first !== undefined && QUESTION_WORDS.has(first);
}

function isConfirmation(text: string): boolean {
  const words = wordsOf(text.replace(CONFIRM_PHRASES, ' confirm '));
  return words.some((word) => CONFIRM_WORDS.has(word)) && words.every((word) => CONFIRM_WORDS.has(word) || CONFIRM_FILLER.has(word));
}

/** Reads a normalised English transcript. Order: no, then questions, then yes, then a request to pay. */
export function understandEnglish(text: string, defaultCurrency: string | undefined): Meaning {
  const verb = PAY_VERB.exec(text);
  const found = findAmount(text) ?? (verb && defaultCurrency ? findBareAmount(text, PAY_VERB, defaultCurrency) : undefined);
  const { payee, rest } = verb ? splitPayee(text, verb.index + verb[0].length, found) : { payee: undefined, rest: text };
  const words = wordsOf(rest);
  if (words.some((word) => CANCEL_WORDS.has(word))) return { kind: 'cancel' };
  if (payee) {
    // A payee's name may hold "Stop" (Bus Stop Noodles), but not end in a no, nor carry a correction.
    const named = wordsOf(payee);
    if (CANCEL_WORDS.has(named.at(-1) ?? '')) return { kind: 'cancel' };
    if (CORRECTION.test(payee)) return { kind: 'unknown' };
  }
  if (isQuestion(words)) return { kind: 'unknown' };
  return yesOrRequest({ verb: Boolean(verb), found, category: findCategory(rest, 'en'), payee }, () => isConfirmation(rest));
}
