import { formatMoney } from '@agentpay/protocol';
import { CURRENCY, SHOP_NAME } from './catalog.ts';

/** Escapes text for HTML; every value that reaches a page goes through it. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An amount of the shop's currency, escaped for a page. */
export const money = (minor: number) => esc(formatMoney({ minor, currency: CURRENCY }));

/**
 * JSON for a `<script type="application/json">` block. `<` is escaped so no
 * value (a product name, an error) can close the script element early, and
 * U+2028/9 so older parsers read it as JSON too.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A data block the page's scripts (and the extension) read by id instead of scraping text. */
export const dataScript = (id: string, value: unknown) => `<script type="application/json" id="${esc(id)}">${jsonForScript(value)}</script>`;

export const errorBox = (error?: { code: string; message: string }) =>
  error ? `<p class="error" role="alert"><strong>${esc(error.code)}</strong>: ${esc(error.message)}</p>` : '';

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  header a { color: inherit; text-decoration: none; } h1 { margin-bottom: 0; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; } td, th { padding: .4rem; border-bottom: 1px solid #ddd; text-align: left; }
  td.num, th.num { text-align: right; } input[type=number] { width: 4rem; } .muted { color: #777; font-size: .9rem; }
  .error { background: #fde8e8; border: 1px solid #f5b5b5; padding: .5rem .8rem; } .paid { color: #176b2c; font-weight: 600; } .refunded { color: #8a4b00; font-weight: 600; }
  section.pay { border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; }
  label { display: block; margin: .3rem 0; } label input { display: block; }
  button { font: inherit; padding: .3rem 1rem; }`;

/** A whole page; `lang` is the page's language (the Chinese card form is zh-CN). */
export function layout(title: string, body: string, lang = 'en'): string {
  return `<!doctype html>
<html lang="${esc(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(SHOP_NAME)}</title><style>${STYLE}</style></head>
<body><header><h1><a href="/">${esc(SHOP_NAME)}</a></h1><p class="muted">A demo merchant of the agent payment relay. Agents use the JSON API under /api.</p></header>
<main>${body}</main></body></html>`;
}
