import { describe, expect, it } from 'vitest';
import { parseChineseInteger, parseEnglishNumber } from './numbers.ts';

describe('parseChineseInteger', () => {
  it.each([
    ['零', 0], ['五', 5], ['两', 2], ['十', 10], ['十五', 15], ['二十', 20], ['三十五', 35], ['一百', 100],
    ['一百零五', 105], ['一百五', 150], ['一百五十', 150], ['两千', 2000], ['两千五', 2500], ['一千零五十', 1050],
    ['一万', 10_000], ['三万五', 35_000], ['三万五千', 35_000], ['十万', 100_000], ['一万零五', 10_005],
    ['一亿五千万', 150_000_000], ['35', 35], ['3万', 30_000], ['35万', 350_000],
  ])('%s = %d', (text, value) => expect(parseChineseInteger(text)).toBe(value));

  it.each(['', '百', '十十', '一百一千', '三五百', 'abc', '万', '五万万', '一二三', '三五', '五零', '一〇五', '三100'])('%j is no number', (text) => {
    expect(parseChineseInteger(text)).toBeUndefined();
  });
});

describe('parseEnglishNumber', () => {
  it.each([
    ['five', 5, ''], ['thirty five', 35], ['one hundred', 100], ['one hundred and five', 105], ['a hundred', 100],
    ['two thousand five hundred', 2500], ['a thousand', 1000], ['twenty five hundred', 2500], ['one thousand and one', 1001],
    ['nineteen', 19], ['twelve point five', 12, '5'], ['zero point zero five', 0, '05'], ['three million', 3_000_000],
  ])('%s = %d', (text, whole, decimals = '') => {
    const words = text.split(' ');
    expect(parseEnglishNumber(words, 0)).toEqual({ whole, decimals, next: words.length });
  });

  it.each([
    ['five six', 5, 1], // two numbers, not fifty-six
    ['thirty fifteen', 30, 1],
    ['ten yuan', 10, 1],
    ['one hundred and the', 100, 2],
  ])('%s stops after %d', (text, whole, next) => {
    expect(parseEnglishNumber(text.split(' '), 0)).toMatchObject({ whole, next });
  });

  it.each(['the', 'a parking', 'and five', 'hundred'])('%j is no number', (text) => {
    expect(parseEnglishNumber(text.split(' '), 0)).toBeUndefined();
  });
});
