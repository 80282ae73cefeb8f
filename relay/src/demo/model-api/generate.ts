/**
 * The demo model: it "generates" by echoing a fixed, pleasant paragraph cut to the length asked,
 * and counts tokens the way billing needs them counted (deterministically, ~4 characters a token,
 * as common tokenizers average on English), so what a request costs is the same on every run.
 */

const PROSE =
  'Green tea is best brewed below boiling, at about eighty degrees, for two to three minutes. '
  + 'Longjing leaves unfold slowly; a glass cup lets you watch them sink. Pour a little water first, '
  + 'wait for the leaves to wake, then fill the cup and drink before the third infusion turns bitter. ';

/** Tokens in a text: one per four characters, at least one for any text. */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A reply of at most `maxTokens` tokens; its length depends on the prompt, so requests differ in cost. */
export function generate(messages: ChatMessage[], maxTokens: number): { text: string; promptTokens: number; completionTokens: number } {
  const promptTokens = messages.reduce((sum, m) => sum + countTokens(m.content), 0);
  const wanted = Math.min(maxTokens, 20 + (promptTokens * 7) % 60);
  let text = '';
  while (countTokens(text) < wanted) text += PROSE;
  text = text.slice(0, wanted * 4).trimEnd();
  return { text, promptTokens, completionTokens: countTokens(text) };
}
