import { currencyExponent } from '@agentpay/protocol';
import { findChineseAmount } from './chinese-amounts.ts';
import { type FoundAmount, toMoney } from './found-amount.ts';
import { isEnglishNumberWord, parseEnglishNumber } from './numbers.ts';

export type { FoundAmount } from './found-amount.ts';

/** Currencies named after the number in Latin script; only well-known codes, so that "35 ABC Store" names no currency. */
const WORD_UNITS: Readonly<Record<string, string>> = {
  yuan: 'CNY', rmb: 'CNY', cny: 'CNY', renminbi: 'CNY', kuai: 'CNY', dollar: 'USD', dollars: 'USD', buck: 'USD', bucks: 'USD',
  usd: 'USD', euro: 'EUR', euros: 'EUR', eur: 'EUR', gbp: 'GBP', yen: 'JPY', jpy: 'JPY',
  hkd: 'HKD', sgd: 'SGD', aud: 'AUD', cad: 'CAD', chf: 'CHF', krw: 'KRW',
};
/** ¥ is read as yuan: the SDK is for Chinese wallets first, and 日元 or "yen" say JPY unambiguously. */
const SYMBOLS: Readonly<Record<string, string>> = { '¥': 'CNY', $: 'USD', '€': 'EUR', '£': 'GBP' };

interface Token { text: string; start: number; end: number }

function findWordAmount(text: string): FoundAmount | undefined {
  const tokens: Token[] = Array.from(text.matchAll(/\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[a-z]+|[$¥€£]/giu), (m) => ({
    text: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length,
  }));
  const words = tokens.map((token) => token.text);
  /** A number starting at token i, in digits or words. */
  const numberAt = (i: number) => {
    const token = tokens[i];
    if (token && /^\d/.test(token.text)) {
      // "1e3", "-5", "A4": digits glued to a letter or a sign are not a price a person said.
      const glued = /[A-Za-z\-+]/.test(text[token.start - 1] ?? ' ') || (/[A-Za-z]/.test(text[token.end] ?? ' ') && !((tokens[i + 1]?.text ?? '') in WORD_UNITS));
      if (glued) return undefined;
      const [whole, decimals = ''] = token.text.replace(/,/g, '').split('.') as [string, string?];
      return { whole, decimals, next: i + 1 };
    }
    if (!token || !(isEnglishNumberWord(token.text) || token.text === 'a')) return undefined;
    const said = parseEnglishNumber(words, i);
    return said && { whole: String(said.whole), decimals: said.decimals, next: said.next };
  };
  for (let i = 0; i < tokens.length; i++) {
    const symbol = SYMBOLS[tokens[i]!.text];
    if (symbol) {
      const number = numberAt(i + 1);
      if (number && /^\d/.test(tokens[i + 1]!.text)) {
        return { money: toMoney(number.whole, number.decimals, symbol), start: tokens[i]!.start, end: tokens[i + 1]!.end };
      }
      continue;
    }
    const number = numberAt(i);
    const unit = number && tokens[number.next];
    const currency = unit && WORD_UNITS[unit.text];
    if (!number || !unit || !currency) continue;
    let { decimals } = number;
    let end = unit.end;
    // "twelve dollars and fifty cents", and "three dollars fifty" as people say prices
    const at = tokens[number.next + 1]?.text === 'and' ? number.next + 2 : number.next + 1;
    const cents = !decimals && currencyExponent(currency) === 2 ? numberAt(at) : undefined;
    if (cents && !cents.decimals && Number(cents.whole) < 100) {
      const after = tokens[cents.next];
      const said = tokens[at]!.text;
      if (after && /^(cents?|fen)$/.test(after.text)) {
        decimals = cents.whole.padStart(2, '0');
        end = after.end;
      } else if ((/^\d\d$/.test(said) || (!/^\d/.test(said) && Number(cents.whole) >= 10)) && !(after && after.text in WORD_UNITS)) {
        decimals = said.length === 2 && /^\d/.test(said) ? said : cents.whole; // "3 dollars 05" is 3.05
        end = tokens[cents.next - 1]!.end;
      }
    }
    return { money: toMoney(number.whole, decimals, currency), start: tokens[i]!.start, end };
  }
  return undefined;
}

/**
 * The first amount said with its currency: "35 yuan", "thirty-five yuan",
 * "$12.50", "¥35", "35 RMB", "35.5元", "三十五块五", "一百零五元", "五毛".
 * A bare number ("pay 35") is the caller's business: its currency is not said.
 */
export function findAmount(text: string): FoundAmount | undefined {
  const chinese = findChineseAmount(text);
  const words = findWordAmount(text);
  if (!chinese) return words;
  if (!words) return chinese;
  return chinese.start <= words.start ? chinese : words;
}

/** A bare number right after a payment verb, in the default currency: "pay 35 to Joe", "付35给茶叶店". */
export function findBareAmount(text: string, verb: RegExp, currency: string): FoundAmount | undefined {
  const match = new RegExp(`(?:${verb.source})\\s*(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)(?![\\d%])`, 'iu').exec(text);
  if (!match) return undefined;
  const number = match[1]!;
  const start = match.index + match[0].length - number.length;
  const [whole, decimals = ''] = number.replace(/,/g, '').split('.') as [string, string?];
  return { money: toMoney(whole, decimals, currency), start, end: start + number.length };
}
