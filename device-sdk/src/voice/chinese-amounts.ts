import { type FoundAmount, toMoney } from './found-amount.ts';
import { CHINESE_DIGITS, parseChineseInteger } from './numbers.ts';

/** Currencies named after the number, Chinese names longest first so 美元 wins over 元. */
const CHINESE_UNITS: ReadonlyArray<[string, string]> = [
  ['美元', 'USD'], ['美金', 'USD'], ['欧元', 'EUR'], ['日元', 'JPY'], ['英镑', 'GBP'], ['港币', 'HKD'], ['港元', 'HKD'],
  ['韩元', 'KRW'], ['人民币', 'CNY'], ['块钱', 'CNY'], ['元钱', 'CNY'], ['块', 'CNY'], ['元', 'CNY'], ['圆', 'CNY'],
];
const CN_DIGIT = '[\\d零〇一二两三四五六七八九]';
/** Arabic digits, alone or before Chinese units (3万), or Chinese numerals; never a Chinese digit before Arabic ones, so 张三100元 is 100. */
const CN_NUMBER = `\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+\\.\\d+|\\d+(?:[十百千万亿][\\d零〇一二两三四五六七八九十百千万亿]*)?|[零〇一二两三四五六七八九十百千万亿]+`;
const CHINESE_AMOUNT = new RegExp(`(${CN_NUMBER})(${CHINESE_UNITS.map(([name]) => name).join('|')})`, 'u');
/** 毛 or 角 (tenths) and 分 (hundredths) after 元, with the colloquial bare digit: "三十五块五" is 35.50. */
const CHINESE_TAIL = new RegExp(`^(零)?(${CN_DIGIT})(毛|角|分)?(?:(${CN_DIGIT})分?)?钱?`, 'u');
const JIAO_ONLY = new RegExp(`(${CN_DIGIT})(?:毛|角)(?:(${CN_DIGIT})分?)?钱?`, 'u');

const digitOf = (ch: string | undefined) => (ch === undefined ? '' : String(CHINESE_DIGITS[ch] ?? ch));

/** The first amount said the Chinese way: "35.5元", "三十五块五", "一百零五元", "12美元", "五毛". */
export function findChineseAmount(text: string): FoundAmount | undefined {
  const match = CHINESE_AMOUNT.exec(text);
  if (match) {
    const [number, unitName] = [match[1]!, match[2]!];
    const currency = CHINESE_UNITS.find(([name]) => name === unitName)![1];
    let [whole, decimals] = number.replace(/,/g, '').split('.') as [string, string | undefined];
    if (!/^\d+$/.test(whole)) whole = String(parseChineseInteger(whole) ?? '');
    if (!whole) return undefined;
    let end = match.index + match[0].length;
    const tail = currency === 'CNY' && decimals === undefined ? CHINESE_TAIL.exec(text.slice(end)) : null;
    if (tail) {
      const [, zero, first, unit, second] = tail;
      // After 零, or marked 分, the first digit is fen ("五块零五" = 5.05); otherwise jiao.
      decimals = zero || unit === '分' ? `0${digitOf(first)}` : `${digitOf(first)}${digitOf(second) || '0'}`;
      end += tail[0].length;
    }
    return { money: toMoney(whole, decimals ?? '', currency), start: match.index, end };
  }
  const jiao = JIAO_ONLY.exec(text);
  if (!jiao) return undefined;
  return { money: toMoney('0', `${digitOf(jiao[1])}${digitOf(jiao[2]) || '0'}`, 'CNY'), start: jiao.index, end: jiao.index + jiao[0].length };
}
