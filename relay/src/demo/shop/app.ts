import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { CATEGORY, CURRENCY, PRODUCTS, SHOP_NAME } from './catalog.ts';
import { ShopError } from './errors.ts';
import { CHECKOUT_SHAPES, type CheckoutDeps } from './checkout/index.ts';
import { type OrderRequest, priceOrder } from './orders.ts';
import { signedAgentCheck } from './signed-agents.ts';
import { checkoutPage, esc, layout, notFoundPage, orderPage, productsPage } from './pages.ts';

export type ShopDeps = Omit<CheckoutDeps, 'orderPage' | 'now'> & { now?: () => Date };

/**
 * The shop's HTTP surface: a JSON API for agents under /api, and pages for
 * people; each checkout shape (checkout/) adds its own routes.
 */
export function createShopApp(shopDeps: ShopDeps): Hono {
  const deps: CheckoutDeps = {
    ...shopDeps,
    now: shopDeps.now ?? (() => new Date()),
    orderPage: (order, error) => orderPage(order, deps, error),
  };
  const { merchant, orders, charge } = deps;
  const app = new Hono();
  if (deps.agents) app.use('/api/*', signedAgentCheck(deps.agents));

  app.get('/api/products', (c) =>
    c.json({ merchant: { id: merchant.id, name: SHOP_NAME, origins: merchant.origins }, currency: CURRENCY, category: CATEGORY, products: PRODUCTS }),
  );
  app.post('/api/orders', async (c) => c.json(orders.create(await readJson(c)), 201));
  app.get('/api/orders/:id', async (c) => c.json(await orders.current(c.req.param('id'), deps.readCharge)));
  app.post('/api/orders/:id/pay', async (c) => {
    const body = await readJson(c);
    return c.json(await orders.pay(c.req.param('id'), (body as { token?: unknown } | null)?.token, charge));
  });

  app.get('/', (c) => c.html(productsPage(PRODUCTS)));
  app.get('/checkout', (c) => {
    const items = cartFromForm(c.req.query());
    try {
      return c.html(checkoutPage(items, items.length ? priceOrder({ items }) : []));
    } catch (error) {
      return c.html(checkoutPage([], [], ShopError.fromRelay(error)), 400);
    }
  });
  app.post('/checkout', async (c) => {
    const order = orders.create({ items: cartFromForm(await c.req.parseBody()) });
    return c.redirect(`/orders/${order.orderId}`, 303);
  });
  app.get('/orders/:id', async (c) => c.html(await orderPage(await orders.current(c.req.param('id'), deps.readCharge), deps)));
  app.post('/orders/:id/pay', async (c) => {
    const id = c.req.param('id');
    const form = await c.req.parseBody();
    try {
      await orders.pay(id, form.token, charge);
      return c.redirect(`/orders/${id}`, 303);
    } catch (error) {
      if (!(error instanceof ShopError) || error.code === 'not_found') throw error;
      // A refused token: show the relay's reason on the still-unpaid order.
      return c.html(await orderPage(orders.get(id), deps, error), error.status as ContentfulStatusCode);
    }
  });
  for (const shape of CHECKOUT_SHAPES) shape.routes?.(app, deps);

  app.notFound((c) => respond(c, new ShopError('not_found', `no page ${c.req.method} ${c.req.path}`, 404)));
  app.onError((error, c) => {
    if (error instanceof ShopError) return respond(c, error);
    console.error('demo shop:', error);
    return respond(c, new ShopError('internal_error', 'the shop failed to handle this request', 500));
  });
  return app;
}

/** Errors as JSON for the API (the relay's shape) and as a page for people. */
function respond(c: Context, error: ShopError): Response {
  const status = error.status as ContentfulStatusCode;
  if (c.req.path.startsWith('/api/')) return c.json(error.toBody(), status);
  if (error.code === 'not_found') return c.html(notFoundPage(error.message), status);
  return c.html(layout('Error', `<p class="error"><strong>${esc(error.code)}</strong>: ${esc(error.message)}</p><p><a href="/">Back to the shop</a></p>`), status);
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ShopError('invalid_json', `the request body is not JSON: ${(error as Error).message}`, 400);
  }
}

/** The cart as the product form sends it: one field per product id, holding its quantity. */
function cartFromForm(fields: Record<string, unknown>): OrderRequest['items'] {
  return PRODUCTS.filter((p) => typeof fields[p.id] === 'string' && fields[p.id] !== '' && fields[p.id] !== '0').map((p) => ({
    productId: p.id,
    quantity: Number(fields[p.id]),
  }));
}
