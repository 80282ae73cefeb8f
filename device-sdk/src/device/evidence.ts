const MAX = 2000; // the relay's limit on each evidence value

/** How a payment not started by voice was confirmed: a tap, or "confirm" to a read-back of a scanned code. */
export interface Confirmed {
  method: 'voice' | 'tap';
  readBack: string;
  lang: string;
  at: Date;
  transcript?: string;
}

/** Evidence for the intent: the code that was read, and how the user confirmed, if asked. */
export function evidenceFor(origin: { utterance?: { transcript: string; lang: string }; code?: string }, confirmed?: Confirmed): Record<string, string> {
  const evidence: Record<string, string> = {};
  if (origin.code) evidence['scan.code'] = origin.code.slice(0, MAX);
  if (origin.utterance) {
    evidence['voice.request'] = origin.utterance.transcript.slice(0, MAX);
    evidence['voice.lang'] = origin.utterance.lang;
  }
  if (confirmed) {
    evidence['confirmation.method'] = confirmed.method;
    evidence['confirmation.readBack'] = confirmed.readBack.slice(0, MAX);
    evidence['confirmation.lang'] = confirmed.lang;
    evidence['confirmation.at'] = confirmed.at.toISOString();
    if (confirmed.transcript) evidence['confirmation.transcript'] = confirmed.transcript.slice(0, MAX);
  }
  return evidence;
}
