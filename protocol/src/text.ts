import * as z from 'zod';

/** C0 controls, DEL and C1 controls: never meant to be shown, and U+0000 cannot be stored at all. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
/** The same, but tab, line feed and carriage return, which multi-line text may hold. */
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Half of a UTF-16 surrogate pair without the other half: not a character, not encodable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with `value` as text, or null when it is well formed. */
export function textProblem(value: string, options: { multiline?: boolean } = {}): string | null {
  const lone = LONE_SURROGATE.exec(value);
  if (lone) return `must be well-formed Unicode text: it holds a lone surrogate (U+${codePoint(lone[0])})`;
  const control = (options.multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).exec(value);
  if (control) {
    const allowed = options.multiline ? ' other than tab and line breaks' : '';
    return `must not contain control characters${allowed} (it holds U+${codePoint(control[0])})`;
  }
  return null;
}

function codePoint(char: string): string {
  return char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
}

/**
 * A string field of a request: well-formed Unicode without control characters. Every string a
 * client sends is one of these (or a stricter pattern), so U+0000, a lone surrogate or an escape
 * sequence is refused at the edge naming the field, before it can reach a store that cannot
 * hold it (PostgreSQL refuses U+0000 in text and JSON) or a screen that would obey it.
 */
export function text(params?: Parameters<typeof z.string>[0]): z.ZodString {
  return z.string(params).superRefine((value, ctx) => {
    const problem = textProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** Like `text()`, for prose where line breaks and tabs mean something (a description, a transcript). */
export function multilineText(): z.ZodString {
  return z.string().superRefine((value, ctx) => {
    const problem = textProblem(value, { multiline: true });
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** Whether the runtime knows `zone` as an IANA time zone name (aliases such as "Asia/Calcutta" included). */
export function isIanaTimeZone(zone: string): boolean {
  // IANA names are letters, digits, '_', '-', '+' and '/', starting with a letter; this keeps out
  // offsets such as "+08:00", which newer runtimes accept as zones but IANA does not name.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone such as "Asia/Shanghai", in which a mandate's periods and windows are read. */
export const TimeZone = z.string().refine(isIanaTimeZone, 'timeZone must be an IANA time zone such as "Asia/Shanghai"');

/**
 * An ISO 8601 date-time with an offset, in a year a database can store and a person could mean
 * (1970 to 9999): "0000-01-01T00:00:00Z" is valid ISO but not a PostgreSQL timestamp.
 */
export function instant(message = 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-29T10:00:00Z') {
  return z.iso.datetime({ offset: true, error: message }).refine((value) => {
    const year = new Date(value).getUTCFullYear();
    // Not a date at all is the format check's to report, once.
    return Number.isNaN(year) || (year >= 1970 && year <= 9999);
  }, 'must be a date-time between the years 1970 and 9999');
}
