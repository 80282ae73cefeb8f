import type { Category } from '@agentpay/protocol';
import type { Product } from './catalog.ts';
import { ShopError } from './errors.ts';
import type { Order, OrderRequest } from './orders.ts';

export interface Catalog {
  merchant: { id: string; name: string; origins: string[] };
  currency: string;
  category: Category;
  products: Product[];
}

/** What an agent uses to shop: the shop's JSON API, with refusals thrown as ShopError. */
export class ShopClient {
  constructor(readonly baseUrl: string) {}

  catalog(): Promise<Catalog> {
    return this.call('GET', '/api/products');
  }

  createOrder(items: OrderRequest['items']): Promise<Order> {
    return this.call('POST', '/api/orders', { items });
  }

  order(orderId: string): Promise<Order> {
    return this.call('GET', `/api/orders/${encodeURIComponent(orderId)}`);
  }

  pay(orderId: string, token: string): Promise<Order> {
    return this.call('POST', `/api/orders/${encodeURIComponent(orderId)}/pay`, { token });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    if (!response.ok) {
      throw new ShopError(json?.error?.code ?? 'shop_error', json?.error?.message ?? `${method} ${path} answered ${response.status}`, response.status);
    }
    return json as T;
  }
}
