import type { Utterance } from './utterance.ts';

/** The relay's limit on each evidence value (IntentRequest.evidence). */
export const MAX_EVIDENCE_LENGTH = 2000;

/** What was heard, said and confirmed, for the intent's evidence. */
export interface VoiceConfirmation {
  /** The request to pay, as understood. */
  request: Utterance;
  /** The user's answer to the read-back: must be a confirmation. */
  confirmation: Utterance;
  /** The sentence the device spoke, e.g. from `sayPayment`. */
  readBack: string;
  /** When the confirmation was heard. */
  at: Date;
}

/** Cut to the relay's limit (in UTF-16 units, as it counts) without splitting a character, marked with "…". */
export function fitEvidence(text: string): string {
  if (text.length <= MAX_EVIDENCE_LENGTH) return text;
  let cut = MAX_EVIDENCE_LENGTH - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1; // a high surrogate whose pair would be cut off
  return `${text.slice(0, cut)}…`;
}

/**
 * The voice confirmation as evidence for the intent (`evidence` of the relay's
 * IntentRequest): the request and the confirmation as transcribed, the
 * read-back between them, the language and the time. Throws if the request is
 * not a request to pay or the answer not a confirmation: a cancel or an
 * unclear answer is never evidence of consent.
 */
export function voiceEvidence({ request, confirmation, readBack, at }: VoiceConfirmation): Record<string, string> {
  if (request?.kind !== 'pay') throw new TypeError(`the request must be a request to pay, got ${request?.kind}`);
  if (confirmation?.kind !== 'confirm') throw new TypeError(`the answer must be a confirmation, got ${confirmation?.kind}`);
  if (typeof readBack !== 'string' || !readBack.trim()) throw new TypeError('the read-back must be the sentence the device spoke');
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('at must be a valid Date');
  return {
    'voice.request': fitEvidence(request.transcript),
    'voice.readBack': fitEvidence(readBack),
    'voice.confirmation': fitEvidence(confirmation.transcript),
    'voice.lang': request.lang,
    'voice.confirmedAt': at.toISOString(),
  };
}
