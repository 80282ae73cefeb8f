/**
 * The words shops use for card fields, in English, Chinese, Japanese, German,
 * French and Spanish, matched against a field's labels, placeholder, name and id.
 */
import type { CardRole } from './card-fields.ts';
import { once } from '../shared/once.ts';

/** Taken at load: the patterns are built on first use, by when a page could have replaced `RegExp`. */
const NativeRegExp = RegExp;

/**
 * Fields that look like card fields by one word but are not: a birth month is
 * a "month", a phone or postal code a "number" or a "code".
 */
export const notCard = once(() => /birth|\bdob\b|geburt|naissance|nacimiento|生年月日|出生|phone|telefon|tel[ée]fono|電話|电话|postal|\bzip\b|\bplz\b|邮编|郵便/i);

/** Checked in order: the first role whose pattern matches wins, so the narrow ones come first. */
export const roleWords = once((): [CardRole, RegExp][] => [
  ['cvc', new NativeRegExp([
    String.raw`(?<![a-z])(cvc2?|cvv2?|cvn2?|csc|cid|card[ _-]?code)(?![a-z])|security[ _-]?code|card[ _-]?verification`,
    '安全码|卡验证码|校验码|验证值|セキュリティ.?コード|カード確認番号',
    String.raw`prüfnummer|prüfziffer|sicherheitscode|cryptogramme|code de (sécurité|securite|vérification|verification)`,
    String.raw`c[óo]digo de (seguridad|verificaci[óo]n)`,
  ].join('|'), 'i')],
  // "有効期限 (月/年)", "Expiry month / year", "MM/JJ", "MMYY": one field for both, so before the month-only pattern.
  ['exp', /(月|mm|month|monat|mois|mes)\s*[/／]\s*(年|yy|year|jj|jahr|aa|ann[ée]e|año)|^mm\s?(yy|jj|aa)/i],
  ['expMonth', /exp\w*[ _-]?(month|mon)\b|month|monat|\bmois\b|\bmes\b|(?<![a-z])mm(?![a-z]|\s*[/／])|有[效効]期[限間]?.{0,3}月|^月$|到期月/i],
  ['expYear', /exp\w*[ _-]?(year|yr)\b|(?<![a-z])(year|yyyy|yy)(?![a-z])|jahr|ann[ée]e|\baño\b|^(jj|aa){1,2}$|有[效効]期[限間]?.{0,3}年|^年$|到期年/i],
  ['exp', new NativeRegExp([
    String.raw`expir|(?<![a-z])exp(?![a-z])|exp_?date|cc-?exp|valid ?(thru|through|until)|mm ?[/／] ?(yy|jj|aa)`,
    '有[效効]期|到期',
    String.raw`gültig|ablauf|verfall|date d'expiration|validit[ée]|caducidad|vencimiento|expiraci[óo]n`,
  ].join('|'), 'i')],
  ['name', new NativeRegExp([
    String.raw`name[ _-]?on[ _-]?(the[ _-])?card|card[ _-]?holder|holder[ _-]?name`,
    '持卡人|户名|名義|カード名',
    String.raw`inhaber|titulaire|nom (sur|de) la carte|titular|nombre (en|de) la tarjeta`,
  ].join('|'), 'i')],
  ['number', new NativeRegExp([
    String.raw`card[ _-]?(number|no\b|no\.|num|nr)|cc-?(num|no\b)|\bpan\b`,
    '卡号|卡號|カード番号',
    String.raw`karten-?(nummer|nr)|num[ée]ro de (la )?carte|n° de carte|n[úu]mero de (la )?tarjeta|nº de tarjeta`,
  ].join('|'), 'i')],
]);

/** Names of split number boxes that say nothing alone ("cc1", "card_no_2", "cardnumber[3]"): their shared stem does. */
export const numberStem = once(() => /^(cc|ccn|cn|card|kart|carte|tarjeta|pan|num)/i);
