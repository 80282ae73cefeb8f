/** Small helpers every page of the test web uses: escaping, a page shell, structured data. */

/** Escapes text for HTML. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element (no "</script>" can end it early). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:1.5rem auto;padding:0 1rem;color:#1d1d1f}
header{display:flex;justify-content:space-between;border-bottom:1px solid #ddd;margin-bottom:1rem}
label{display:block;margin:.4rem 0 .1rem;font-weight:500}input,select{font:inherit;padding:.3rem}
.row{display:flex;gap:.5rem}.total{font-size:1.2rem;font-weight:600}.muted{color:#777}
.error{background:#fde8e8;border:1px solid #f5b5b5;padding:.5rem}.ok{color:#176b2c}
button{font:inherit;padding:.4rem 1.2rem;background:#0b5cff;color:#fff;border:0;border-radius:4px}
iframe{border:1px solid #ccc;border-radius:4px;width:100%;height:2.6rem}`;

/** A whole HTML document in the shop's look. */
export function page(options: { lang: string; title: string; shop: string; body: string; head?: string }): string {
  return `<!doctype html><html lang="${esc(options.lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(options.title)} · ${esc(options.shop)}</title>
<style>${STYLE}</style>${options.head ?? ''}</head>
<body><header><strong>${esc(options.shop)}</strong><nav><a href="#">Help</a></nav></header>
<main>${options.body}</main></body></html>`;
}

/** A cart summary as shops show it: items and a total, written by the page in its own locale. */
export function cart(items: { name: string; price: string }[], totalLabel: string, total: string): string {
  const rows = items.map((item) => `<tr><td>${esc(item.name)}</td><td style="text-align:right">${esc(item.price)}</td></tr>`).join('');
  return `<table class="cart" style="width:100%">${rows}<tr class="total"><td>${esc(totalLabel)}</td><td style="text-align:right" class="order-total">${esc(total)}</td></tr></table>`;
}

/** schema.org Order as shops put it in JSON-LD for search engines and mail clients. */
export function orderJsonLd(orderId: string, shop: string, price: string, currency: string): string {
  return `<script type="application/ld+json">${scriptJson({
    '@context': 'https://schema.org', '@type': 'Order', orderNumber: orderId,
    seller: { '@type': 'Organization', name: shop },
    acceptedOffer: { '@type': 'Offer', price, priceCurrency: currency },
    totalPaymentDue: { '@type': 'PriceSpecification', price, priceCurrency: currency },
  })}</script>`;
}

/** The page a shop shows after a payment attempt: a confirmation, or why it failed (role=alert). */
export function resultPage(shop: string, lang: string, result: { paid: true; orderId: string } | { paid: false; message: string }): string {
  const body = result.paid
    ? `<h1 class="ok" role="status">Thank you! Order ${esc(result.orderId)} is paid.</h1>`
    : `<h1>Payment failed</h1><p class="error" role="alert">${esc(result.message)}</p>`;
  return page({ lang, title: result.paid ? 'Order confirmed' : 'Payment failed', shop, body });
}

/** Year options from this year on, as card forms list them. */
export function years(digits: 2 | 4, count = 12): string[] {
  const first = new Date().getUTCFullYear();
  return Array.from({ length: count }, (_, i) => String(first + i).slice(4 - digits));
}
