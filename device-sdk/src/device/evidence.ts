import { fitEvidence, type Language, type PayUtterance, voiceEvidence } from '../voice/index.ts';
import type { Answer } from './confirmation.ts';

/** How the user said yes to a read-back. */
export interface Confirmed {
  answer: Extract<Answer, { kind: 'confirm' }>;
  readBack: string;
  lang: Language;
}

/**
 * The intent's evidence: what started the payment (the code the camera read,
 * the request the user spoke) and, when the device asked, how the user said
 * yes. Keys are those of `voiceEvidence` (`voice.*`), plus `scan.code` and,
 * for a tap, `tap.readBack` and `tap.confirmedAt`; each value fits the relay's limit.
 */
export function evidenceFor(origin: { utterance?: PayUtterance; code?: string }, confirmed?: Confirmed): Record<string, string> {
  const evidence: Record<string, string> = {};
  if (origin.code) evidence['scan.code'] = fitEvidence(origin.code);
  if (origin.utterance) {
    evidence['voice.request'] = fitEvidence(origin.utterance.transcript);
    evidence['voice.lang'] = origin.utterance.lang;
  }
  if (!confirmed) return evidence;
  const { answer, readBack, lang } = confirmed;
  if (answer.utterance && origin.utterance) return { ...evidence, ...voiceEvidence({ request: origin.utterance, confirmation: answer.utterance, readBack, at: answer.at }) };
  if (answer.utterance) {
    return { ...evidence, 'voice.readBack': fitEvidence(readBack), 'voice.confirmation': fitEvidence(answer.utterance.transcript), 'voice.lang': lang, 'voice.confirmedAt': answer.at.toISOString() };
  }
  return { ...evidence, 'tap.readBack': fitEvidence(readBack), 'tap.confirmedAt': answer.at.toISOString() };
}
