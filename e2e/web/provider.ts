import { randomUUID } from 'node:crypto';
import type { Money } from '@agentpay/protocol';
import { fieldFrame, type FieldKit, type FieldType, mountScript } from './field-frames.ts';
import type { Ledger } from './ledger.ts';
import type { CardDetails } from './merchant.ts';
import { readCard, type Shop } from './shop.ts';
import { startSite, type Site } from './site.ts';

/**
 * A payment provider: serves card-field frames and their mount scripts,
 * takes cards on its own origin, and charges them through the relay with the
 * key of the merchant it acts for (as a PSP holds its merchants' credentials).
 * Shops talk to it server to server with a secret key.
 */
export interface Provider {
  site: Site;
  /** Makes `shop` a customer; its publishable key (pages) and secret key (servers). */
  enrol(shop: Shop): { publishable: string; secret: string };
  /** Server to server: charge a payment method (or vault session) the provider holds, for an order. */
  charge(secret: string, body: { payment_method: string; amount: Money; reference: string; page: string }): Promise<{ paid: boolean; message: string }>;
  close(): Promise<void>;
}

/** Kits this provider serves, by script name (/js/NAME.js defines window[global]). */
export type Kits = Record<string, { global: string; kit: FieldKit }>;

export async function startProvider(options: { label: string; ledger: Ledger; kits: Kits }): Promise<Provider> {
  // localhost, not 127.0.0.1: another site to Chromium, so the frames are cross-site and out of process.
  const site = await startSite({ label: options.label, bindHost: '127.0.0.1', urlHost: 'localhost', ledger: options.ledger });
  const customers = new Map<string, Shop>(); // by publishable and by secret key
  const methods = new Map<string, { card: CardDetails; shop: Shop }>();

  for (const [name, { global, kit }] of Object.entries(options.kits)) {
    site.app.get(`/js/${name}.js`, (c) => c.body(mountScript(global, kit.prefix, `/frames/${name}`), 200, { 'content-type': 'text/javascript' }));
    site.app.get(`/frames/${name}`, (c) => {
      const type = c.req.query('type') as FieldType;
      if (!['number', 'expiry', 'cvc'].includes(type)) return c.text('type must be number, expiry or cvc', 400);
      return c.html(fieldFrame(kit, type, c.req.query('key') ?? '', c.req.query('parent') ?? ''));
    });
    site.app.post(kit.tokenizePath, async (c) => {
      const body = await c.req.json<{ key?: string; card?: { number?: string; exp_month?: string; exp_year?: string; cvc?: string } }>().catch(() => null);
      const shop = customers.get(body?.key ?? '');
      if (!shop) return c.json({ error: { message: 'unknown publishable key' } }, 401);
      const card = readCard({ number: body?.card?.number, month: body?.card?.exp_month, year: body?.card?.exp_year, cvc: body?.card?.cvc });
      options.ledger.parsed(site.label, `POST ${kit.tokenizePath}`, card?.number ?? '');
      if (!card) return c.json({ error: { message: 'Your card number, expiry or CVC is incomplete.' } }, 400);
      const id = `${kit.prefix === 'vault' ? 'east-' : 'pm_'}${randomUUID().replace(/-/g, '').slice(0, 20)}`;
      methods.set(id, { card, shop });
      return c.json({ id });
    });
  }

  const provider: Provider = {
    site,
    enrol(shop) {
      const n = customers.size / 2 + 1;
      const keys = { publishable: `pk_test_${n}${shop.account.merchant.id.slice(-6)}`, secret: `sk_test_${n}${randomUUID().slice(0, 8)}` };
      customers.set(keys.publishable, shop).set(keys.secret, shop);
      return keys;
    },
    async charge(secret, body) {
      const shop = customers.get(secret);
      const method = methods.get(body.payment_method);
      if (!shop || !method || method.shop !== shop) return { paid: false, message: 'no such payment method for this account' };
      methods.delete(body.payment_method);
      const result = await shop.account.charge({ pageId: body.page, orderId: body.reference, amount: body.amount, card: method.card }, site);
      return result.paid ? { paid: true, message: result.chargeId } : { paid: false, message: `${result.code}: ${result.message}` };
    },
    close: () => site.close(),
  };
  // Shops' servers call this over HTTP with their secret key, as they would a PSP's API.
  site.app.post('/v1/charges', async (c) => {
    const secret = (c.req.header('authorization') ?? '').replace(/^Bearer /, '');
    const body = await c.req.json();
    const result = await provider.charge(secret, body);
    return c.json(result, result.paid ? 200 : 402);
  });
  return provider;
}
