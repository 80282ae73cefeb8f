import { randomUUID } from 'node:crypto';
import type { Money } from '@agentpay/protocol';
import type { Context } from 'hono';
import { esc, page } from './html.ts';
import type { Provider } from './provider.ts';
import { readCard, type Shop } from './shop.ts';
import type { Site } from './site.ts';

/**
 * The provider's hosted payment page, shaped after Stripe Checkout, Adyen's
 * hosted payment pages and Worldpay's iframe HPP: the shop's server opens a
 * session (amount, reference, where to return), the buyer types the card on
 * the provider's page (embedded in an iframe, or reached by redirect) and the
 * provider charges it through the relay for the shop.
 */
interface Session {
  id: string;
  shop: Shop;
  amount: Money;
  /** What the page shows, in the shop's locale, e.g. "$58.00". */
  shown: string;
  reference: string;
  page: string;
  mode: 'embedded' | 'redirect';
  returnUrl: string;
  paid: boolean;
}

export interface HostedCheckout {
  /** Server to server: opens a session; its URL is on the shop's checkout domain when it has one. */
  open(shop: Shop, ask: Omit<Session, 'id' | 'shop' | 'paid'>): Session & { url: string };
}

/** Adds hosted checkout to `provider`; `domains` are checkout origins the provider serves for one shop each. */
export function addHostedCheckout(provider: Provider, domains: Map<Shop, Site>): HostedCheckout {
  const sessions = new Map<string, Session>();
  const sites = [provider.site, ...domains.values()];
  for (const site of sites) {
    site.app.get('/c/:id', (c) => {
      const session = sessions.get(c.req.param('id'));
      return session ? c.html(checkoutPage(session, '')) : c.text('This checkout session has expired.', 404);
    });
    site.app.post('/c/:id/pay', (c) => pay(c, site));
  }

  async function pay(c: Context, site: Site): Promise<Response> {
    const session = sessions.get(c.req.param('id')!);
    if (!session) return c.text('This checkout session has expired.', 404);
    const form = await c.req.parseBody();
    const card = readCard({ number: form.cardnumber, expiry: form.exp, cvc: form.cvc });
    if (!card) return c.html(checkoutPage(session, 'Check your card details.'), 400);
    const result = await session.shop.account.charge({ pageId: session.page, orderId: session.reference, amount: session.amount, card }, site);
    if (!result.paid) return c.html(checkoutPage(session, `Your card was declined (${result.code}).`), 402);
    session.paid = true;
    if (session.mode === 'redirect') return c.redirect(`${session.returnUrl}?session=${session.id}`, 303);
    return c.html(page({
      lang: 'en', shop: `Paystream · ${session.shop.name}`, title: 'Payment complete',
      body: `<h1 role="status" class="ok">Payment complete</h1><script>parent.postMessage({ type: 'paystream:checkout-complete', session: ${JSON.stringify(session.id)} }, ${JSON.stringify(session.returnUrl && new URL(session.returnUrl).origin)});</script>`,
    }));
  }

  return {
    open(shop, ask) {
      const session: Session = { ...ask, id: `cs_test_${randomUUID().replace(/-/g, '')}`, shop, paid: false };
      sessions.set(session.id, session);
      const origin = ask.mode === 'redirect' ? (domains.get(shop)?.origin ?? provider.site.origin) : provider.site.origin;
      return { ...session, url: `${origin}/c/${session.id}` };
    },
  };
}

/** The hosted page itself: the merchant's name and total at the top, the card form below. */
function checkoutPage(session: Session, error: string): string {
  return page({
    lang: 'en', shop: `Paystream · ${session.shop.name}`, title: `Pay ${session.shop.name}`,
    body: `<h1>Pay ${esc(session.shop.name)}</h1><p class="total">Total due <span class="order-total">${esc(session.shown)}</span></p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/c/${esc(session.id)}/pay" id="payment-form">
<label for="cardnumber">Card information</label><input id="cardnumber" name="cardnumber" autocomplete="cc-number" inputmode="numeric" placeholder="1234 1234 1234 1234">
<div class="row"><div><label for="exp">Expiration</label><input id="exp" name="exp" autocomplete="cc-exp" placeholder="MM / YY"></div>
<div><label for="cvc">CVC</label><input id="cvc" name="cvc" autocomplete="cc-csc" inputmode="numeric" placeholder="CVC"></div></div>
<label for="name">Name on card</label><input id="name" name="name" autocomplete="cc-name">
<p><button type="submit" id="submit">Pay ${esc(session.shown)}</button></p></form>`,
  });
}
