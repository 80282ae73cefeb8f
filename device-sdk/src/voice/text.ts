/** The languages the SDK understands and speaks. */
export type Language = 'zh' | 'en';

/** Longer transcripts are not requests a person speaks to a device; they are not parsed at all. */
export const MAX_TRANSCRIPT_LENGTH = 500;

/** Chinese characters and Chinese punctuation (。，！？：；（）、「」): not full-width letters, which Latin text uses too. */
const CHINESE = /[\p{Script=Han}\u3001-\u303f\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f]/u;

/** Anything Chinese makes the utterance Chinese: speech engines write numbers and names in Latin script too. */
export function detectLanguage(text: string): Language {
  return CHINESE.test(text) ? 'zh' : 'en';
}

/**
 * The transcript in one spelling the matchers can rely on: NFKC folds full-width
 * digits, letters and punctuation (３５，Ｏｋ) into ASCII; curly apostrophes become
 * straight ones ("Joe’s"); punctuation becomes a space, except a point or comma
 * between digits (12.50, 1,000); spaces next to Chinese characters go, since
 * engines put them in at random ("付 35 元"). Case is kept, for payee names.
 */
export function normaliseTranscript(transcript: string): string {
  return transcript
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[.,](?!\d)/g, ' ')
    .replace(/[!?;:"“”()[\]{}<>…~—–_*#@/\\|。、，！？；：「」『』《》【】（）·]/g, ' ')
    .replace(/(\p{Script=Han})\s+/gu, '$1')
    .replace(/\s+(\p{Script=Han})/gu, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
