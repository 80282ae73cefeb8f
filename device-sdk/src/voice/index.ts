/**
 * Voice payments (issue 4): the maker's speech engine hears, this reads its
 * transcripts (Chinese or English), says what is about to be paid, and keeps
 * the spoken confirmation as evidence on the intent. Pure TypeScript: no
 * audio, no Node APIs.
 */
export { understand, type UnderstandOptions } from './understand.ts';
export type { CancelUtterance, ConfirmUtterance, PayUtterance, UnknownUtterance, Utterance } from './utterance.ts';
export { detectLanguage, MAX_TRANSCRIPT_LENGTH, type Language } from './text.ts';
export {
  sayAmount, sayCancelled, sayHeld, sayNotUnderstood, sayPaid, sayPayment, sayRefused, type SpokenPayment,
} from './read-back.ts';
export { fitEvidence, MAX_EVIDENCE_LENGTH, voiceEvidence, type VoiceConfirmation } from './evidence.ts';
