import type { Context } from 'hono';
import type { Money } from '@agentpay/protocol';
import { cart, esc, orderJsonLd, page } from './html.ts';
import type { CardFields, Order, Shop } from './shop.ts';

/** One checkout page of the test web, as the README table lists it. */
export interface PageInfo {
  id: string;
  family: string;
  /** Full URL to open in a fresh tab. */
  url: string;
  /** The server (site label) that serves it. */
  site: string;
  shapedAfter: string;
  cardTravels: string;
  /** The merchant the user should see, and the amount as the window heads it ("42.50 EUR"); null when the page shows none. */
  merchant: { name: string; origin: string } | null;
  shows: string | null;
}

/** What a card page is: its cart, its total as the page writes it, its fields, and how its server reads them. */
export interface CardPageSpec {
  id: string;
  family: string;
  path: string;
  lang: string;
  title: string;
  items: { name: string; price: string }[];
  totalLabel: string;
  /** The total as the page shows it, e.g. "42,50 €"; '' shows none. */
  total: string;
  /** What the server charges. */
  amount: Money;
  /** The window's heading for it (relay formatting), when the page gives a readable total. */
  shows: string | null;
  /** The form's inner fields (or the whole checkout markup when `script` drives it). */
  fields: (order: Order) => string;
  button: string;
  /** How the pay request's fields map to a card. */
  read(form: Record<string, unknown>): CardFields;
  /** Script run at the end of the page (single-page apps); the form then has no action of its own unless `formPosts`. */
  script?: (order: Order) => string;
  /** The form still posts itself (the script only prepares it). */
  formPosts?: boolean;
  method?: 'post' | 'get';
  /** When the pay request carries JSON rather than a form. */
  json?: boolean;
  /** Add schema.org Order JSON-LD with this price and currency. */
  jsonLd?: { price: string; currency: string };
  /** Whole-page replacement for odd shapes; gets the standard cart and form to wrap. */
  wrap?: (parts: { cart: string; form: string; order: Order }) => string;
  head?: string;
  shapedAfter: string;
  cardTravels: string;
}

/** Serves a card page on `shop`: GET opens a fresh order; `<path>/pay` charges what the form sends. */
export function mountCardPage(shop: Shop, spec: CardPageSpec): PageInfo {
  const payPath = `${spec.path}/pay`;
  shop.site.app.get(spec.path, (c) => {
    const order = shop.open(spec.id, spec.amount);
    const posts = !spec.script || spec.formPosts;
    const action = !posts ? '' : ` action="${esc(payPath)}" method="${spec.method ?? 'post'}"`;
    const form = `<form id="checkout"${action} novalidate><input type="hidden" name="order_id" value="${esc(order.id)}">
${spec.fields(order)}
<p><button type="submit" id="pay">${esc(spec.button)}</button></p></form>`;
    const summary = spec.total ? cart(spec.items, spec.totalLabel, spec.total) : cart(spec.items, '', '');
    const inner = spec.wrap ? spec.wrap({ cart: summary, form, order }) : `<h1>${esc(spec.title)}</h1>${summary}${form}`;
    return c.html(page({
      lang: spec.lang, title: spec.title, shop: shop.name,
      head: `${spec.jsonLd ? orderJsonLd(order.id, shop.name, spec.jsonLd.price, spec.jsonLd.currency) : ''}${spec.head ?? ''}`,
      body: `${inner}<div id="result" role="status"></div>${spec.script ? `<script>${spec.script(order)}</script>` : ''}`,
    }));
  });
  const pay = async (c: Context) => {
    const fields: Record<string, unknown> = c.req.method === 'GET' ? c.req.query()
      : spec.json ? await c.req.json() : await c.req.parseBody({ all: false });
    return shop.payByCard(c, fields.order_id, spec.read(fields), { json: Boolean(spec.script) && !spec.formPosts, lang: spec.lang });
  };
  if (spec.method === 'get') shop.site.app.get(payPath, pay);
  else shop.site.app.post(payPath, pay);
  return {
    id: spec.id, family: spec.family, url: shop.site.origin + spec.path, site: shop.site.label,
    shapedAfter: spec.shapedAfter, cardTravels: spec.cardTravels,
    merchant: { name: shop.name, origin: shop.site.origin }, shows: spec.shows,
  };
}

/** The usual fields of one card form: labelled inputs with the given names, autocomplete when `autocomplete`. */
export function cardInputs(labels: { number: string; expiry: string; cvc: string; name?: string }, names: { number: string; expiry: string; cvc: string; name?: string }, autocomplete: boolean, prefix = 'card'): string {
  const ac = (token: string) => (autocomplete ? ` autocomplete="${token}"` : ' autocomplete="off"');
  const nameField = labels.name && names.name ? `<label for="${prefix}-holder">${esc(labels.name)}</label><input id="${prefix}-holder" name="${esc(names.name)}"${ac('cc-name')}>` : '';
  return `${nameField}
<label for="${prefix}-number">${esc(labels.number)}</label><input id="${prefix}-number" name="${esc(names.number)}" inputmode="numeric"${ac('cc-number')}>
<div class="row"><div><label for="${prefix}-expiry">${esc(labels.expiry)}</label><input id="${prefix}-expiry" name="${esc(names.expiry)}" placeholder="MM/YY"${ac('cc-exp')}></div>
<div><label for="${prefix}-cvc">${esc(labels.cvc)}</label><input id="${prefix}-cvc" name="${esc(names.cvc)}" inputmode="numeric" maxlength="4"${ac('cc-csc')}></div></div>`;
}
