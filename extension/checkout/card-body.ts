import { classifyField } from './card-fields.ts';
import { cardNumbersIn, replaceCardNumbers, splitCardRuns, splitLike } from './card-numbers.ts';

/**
 * Card details in a request a page sends (fetch, XMLHttpRequest, sendBeacon):
 * found so the request can be held, and replaced by the token's card once the
 * user approved, keeping the body's own shape (JSON stays JSON with the same
 * keys and types, a form stays a form, four boxes stay four fields).
 */
export interface TokenCard {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/** A body as pages hand it over, once read: bytes and streams are read as text first. */
export type Body = string | URLSearchParams | FormData | null;

type Entry = { key: string; value: string };

/** The agent's card number in the URL (its path too: REST calls put it there) or body, as digits; null when there is none. */
export function cardIn(url: string, body: Body): string | null {
  // Whole numbers only in the path: dates and ids in neighbouring segments are not a card's groups.
  for (const segment of pathSegments(url)) {
    const [whole] = cardNumbersIn(segment);
    if (whole) return whole.digits;
  }
  const candidates = [...entriesOf(queryOf(url)), ...(body === null ? [] : bodyEntries(body))];
  for (const { value } of candidates) {
    const [whole] = cardNumbersIn(value);
    if (whole) return whole.digits;
  }
  return splitCardRuns(candidates.map((e) => e.value))[0]?.digits ?? null;
}

/** The same request with the token's card where the agent's was. */
export function withTokenCard(url: string, body: Body, card: TokenCard): { url: string; body: Body } {
  return { url: rewriteUrl(url, card), body: rewriteBody(body, card) };
}

function queryOf(url: string): URLSearchParams {
  const at = url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : url.slice(at + 1).split('#')[0]);
}

/** The decoded segments of an absolute URL's path; none for a relative one (a form's, given as ''). */
function pathSegments(url: string): string[] {
  const path = URL.parse(url)?.pathname;
  return path ? path.split('/').map(decodeSegment) : [];
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function rewriteUrl(url: string, card: TokenCard): string {
  const parsed = URL.parse(url);
  if (parsed && cardNumbersIn(decodeSegment(parsed.pathname)).length) {
    // Only the segments carrying a card are written anew; the rest keep their encoding.
    parsed.pathname = parsed.pathname
      .split('/')
      .map((raw) => (cardNumbersIn(decodeSegment(raw)).length ? encodeURIComponent(replaceCardNumbers(decodeSegment(raw), card.number)) : raw))
      .join('/');
    url = parsed.href;
  }
  return rewriteQuery(url, card);
}

function rewriteQuery(url: string, card: TokenCard): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const hash = url.indexOf('#', at);
  const entries = entriesOf(queryOf(url));
  const rewritten = rewriteEntries(entries, card);
  if (rewritten.every((e, i) => e.value === entries[i]!.value)) return url;
  const query = new URLSearchParams(rewritten.map((e) => [e.key, e.value])).toString();
  return url.slice(0, at + 1) + query + (hash < 0 ? '' : url.slice(hash));
}

function entriesOf(params: URLSearchParams | FormData): Entry[] {
  const entries: Entry[] = [];
  params.forEach((value, key) => {
    if (typeof value === 'string') entries.push({ key, value });
  });
  return entries;
}

function bodyEntries(body: Exclude<Body, null>): Entry[] {
  if (typeof body !== 'string') return entriesOf(body);
  const json = parseJson(body);
  if (json !== undefined) return jsonEntries(json);
  if (looksFormEncoded(body)) return entriesOf(new URLSearchParams(body));
  return [{ key: '', value: body }];
}

function rewriteBody(body: Body, card: TokenCard): Body {
  if (body === null) return null;
  if (body instanceof URLSearchParams) return new URLSearchParams(rewriteEntries(entriesOf(body), card).map((e) => [e.key, e.value]));
  if (body instanceof FormData) {
    const strings = rewriteEntries(entriesOf(body), card);
    const copy = new FormData();
    let next = 0;
    body.forEach((value, key) => {
      if (typeof value === 'string') copy.append(key, strings[next++]!.value);
      else copy.append(key, value);
    });
    return copy;
  }
  const json = parseJson(body);
  if (json !== undefined) return JSON.stringify(rewriteJson(json, card, ''));
  if (looksFormEncoded(body)) return new URLSearchParams(rewriteEntries(entriesOf(new URLSearchParams(body)), card).map((e) => [e.key, e.value])).toString();
  return replaceCardNumbers(body, card.number);
}

/** Whole numbers, numbers split over neighbouring fields, and the expiry and code beside them by their names. */
function rewriteEntries(entries: Entry[], card: TokenCard): Entry[] {
  const out = entries.map((e) => ({ ...e, value: replaceCardNumbers(e.value, card.number) }));
  for (const run of splitCardRuns(out.map((e) => e.value))) {
    const parts = out.slice(run.start, run.start + run.length);
    splitLike(parts.map((p) => p.value), card.number).forEach((piece, i) => (out[run.start + i]!.value = piece));
  }
  return out.map((e) => ({ key: e.key, value: rewriteByName(e.key, e.value, card) }));
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function parseJson(text: string): Json | undefined {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

function jsonEntries(value: Json, key = ''): Entry[] {
  if (Array.isArray(value)) return value.flatMap((item) => jsonEntries(item, key));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => jsonEntries(v, k));
  return typeof value === 'string' || typeof value === 'number' ? [{ key, value: String(value) }] : [];
}

/** JSON keeps its keys and its types: a number stays a number where the token's fits in one. */
function rewriteJson(value: Json, card: TokenCard, key: string): Json {
  if (value === null || typeof value === 'boolean') return value;
  if (Array.isArray(value) || typeof value === 'object') {
    const members: [string, Json][] = Array.isArray(value) ? value.map((v) => [key, v]) : Object.entries(value);
    const primitive = members.map(([k, v], index) => ({ index, key: k, v })).filter((m) => typeof m.v === 'string' || typeof m.v === 'number');
    const rewritten = rewriteEntries(primitive.map((m) => ({ key: m.key, value: String(m.v) })), card);
    const next = members.map(([k, v]) => [k, v] as [string, Json]);
    primitive.forEach((m, i) => (next[m.index]![1] = typeof m.v === 'number' && /^\d{1,15}$/.test(rewritten[i]!.value) ? Number(rewritten[i]!.value) : rewritten[i]!.value));
    const deep = next.map(([k, v]) => [k, typeof v === 'object' && v !== null ? rewriteJson(v, card, k) : v] as [string, Json]);
    return Array.isArray(value) ? deep.map(([, v]) => v) : Object.fromEntries(deep);
  }
  return value;
}

function looksFormEncoded(text: string): boolean {
  return /^[^=&\s{[]+=[^&\s]*(?:&[^=&\s]+=[^&\s]*)*$/.test(text.trim());
}

/** "card[exp_month]", "expiryDate", "security_code" → the card field they name, the way a label would. */
function roleOfKey(key: string) {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_\-[\].]+/g, ' ').trim();
  return words ? classifyField({ name: words }) : null;
}

function rewriteByName(key: string, value: string, card: TokenCard): string {
  const month = String(card.expMonth);
  const year = String(card.expYear);
  switch (roleOfKey(key)) {
    case 'cvc':
      return /^\s*\d{3,4}\s*$/.test(value) ? card.cvc : value;
    case 'expMonth':
      return /^\d{1,2}$/.test(value) ? month.padStart(value.length, '0') : value;
    case 'expYear':
      return /^\d{2}$/.test(value) ? year.slice(-2) : /^\d{4}$/.test(value) ? year : value;
    case 'exp': {
      const exp = /^(\d{1,2})(\s*[/.-]?\s*)(\d{2}|\d{4})$/.exec(value.trim());
      if (!exp) return value;
      return `${month.padStart(exp[1]!.length, '0')}${exp[2]}${exp[3]!.length === 4 ? year : year.slice(-2)}`;
    }
    default:
      return value;
  }
}
