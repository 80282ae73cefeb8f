import {
  type Actor, agentpayAccept, type CardDetails, decodePaymentRequired, type Intent,
  type MerchantWithKey, PAYMENT_REQUIRED_HEADER, PAYMENT_SIGNATURE_HEADER, RelayHttpClient, verifyPaymentCode,
} from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoShop } from '../src/demo/shop.ts';
import type { ShopClient } from '../src/demo/shop/client.ts';
import type { Relay } from '../src/relay.ts';
import { cart, type Party } from './harness.ts';
import { type ShopWorld, startShopWorld } from './shop-world.ts';

/** The server side of every checkout shape of the demo shop (pages' scripts are the extension's e2e tests' to drive). */
describe('demo shop checkout shapes', () => {
  let world: ShopWorld;
  let relay: Relay;
  let shop: DemoShop;
  let client: ShopClient;
  let agent: Party<Actor>;

  beforeAll(async () => {
    world = await startShopWorld(5000_00);
    ({ relay, shop, client, agent } = world);
  });
  afterAll(async () => {
    await world?.close();
  });

  const grant = async (minor: number) => (await agent.client.post<Intent>('/v1/intents', cart(shop.merchant.id, minor))).token!;
  const tokenFor = async (minor: number) => (await grant(minor)).secret;
  const teaOrder = () => client.createOrder([{ productId: 'longjing', quantity: 1 }]);
  const chargesFor = async (orderId: string) => relay.ctx.db.query('SELECT id FROM charges WHERE reference = $1', [orderId]);
  const form = (path: string, fields: Record<string, string>) =>
    fetch(shop.url + path, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  const cardFields = (card: { number: string; exp: string; cvc: string }) => ({ 'cc-name': 'Alice Agent', 'cc-number': card.number, 'cc-exp': card.exp, 'cc-csc': card.cvc });
  const mmyy = (card: CardDetails) => `${String(card.expMonth).padStart(2, '0')}/${String(card.expYear).slice(-2)}`;

  describe('card form', () => {
    it("refuses a real card at the relay, shows the relay's reason and keeps the order unpaid", async () => {
      const order = await teaOrder();
      const response = await form(`/orders/${order.orderId}/card`, cardFields({ number: '4242 4242 4242 4242', exp: '12/30', cvc: '123' }));
      const page = await response.text();
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(page).toContain('role="alert"');
      // The relay understood the card shape and refused the card itself (it is no token's card), not the request.
      expect(page).toMatch(/<strong>(card_declined|token_not_found)<\/strong>/);
      expect(page).not.toContain('4242');
      expect(await client.order(order.orderId)).toMatchObject({ status: 'unpaid' });
      expect(await chargesFor(order.orderId)).toHaveLength(0);
    });

    it('names the bad fields by their labels before asking the relay', async () => {
      const order = await teaOrder();
      const response = await form(`/orders/${order.orderId}/card`, cardFields({ number: '4242', exp: '13/30', cvc: 'abc' }));
      expect(response.status).toBe(400);
      const page = await response.text();
      expect(page).toContain('invalid_card_form');
      expect(page).toContain('Card number must be 12 to 19 digits');
      expect(page).toContain('Expiry (MM/YY) must be MM/YY');
      expect(page).toContain('Security code (CVC) must be 3 or 4 digits');
    });

    it("pays with the card details of an agent's token (needs the relay's card charges)", async () => {
      const order = await teaOrder();
      const card = (await grant(35_00)).card;
      const response = await form(`/orders/${order.orderId}/card`, cardFields({ number: card.number, exp: mmyy(card), cvc: card.cvc }));
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`/orders/${order.orderId}`);
      expect(await client.order(order.orderId)).toMatchObject({ status: 'paid', chargeId: expect.stringMatching(/^chg_/) });
    });
  });

  describe('card form in Chinese', () => {
    it('has Chinese labels, no autocomplete and no cc-* names', async () => {
      const order = await teaOrder();
      const page = await (await fetch(`${shop.url}/orders/${order.orderId}/pay/zh`)).text();
      for (const label of ['持卡人姓名', '卡号', '有效期 (月/年)', '安全码 (CVV)', '确认支付']) expect(page).toContain(label);
      expect(page).toContain('lang="zh-CN"');
      expect(page).not.toMatch(/autocomplete|name="cc-/);
    });

    it('refuses bad fields on the Chinese page, naming them in Chinese', async () => {
      const order = await teaOrder();
      const response = await form(`/orders/${order.orderId}/pay/zh`, { xingming: '张三', kahao: '6222 0000 1111 2222', youxiaoqi: '2030-12', anquanma: '123' });
      expect(response.status).toBe(400);
      const page = await response.text();
      expect(page).toContain('有效期 (月/年) must be MM/YY');
      expect(page).toContain('id="zh-card-form"');
      expect(await client.order(order.orderId)).toMatchObject({ status: 'unpaid' });
    });

    it("pays with a token's card details (needs the relay's card charges)", async () => {
      const order = await teaOrder();
      const card = (await grant(35_00)).card;
      const response = await form(`/orders/${order.orderId}/pay/zh`, { xingming: '张三', kahao: card.number, youxiaoqi: mmyy(card), anquanma: card.cvc });
      expect(response.status).toBe(303);
      expect(await client.order(order.orderId)).toMatchObject({ status: 'paid' });
    });
  });

  describe('HTTP 402 receipt (x402 v2; paying it: x402/test)', () => {
    const receipt = (orderId: string, payment?: string) =>
      fetch(`${shop.url}/api/orders/${orderId}/receipt`, { headers: payment === undefined ? {} : { [PAYMENT_SIGNATURE_HEADER]: payment } });

    it("answers 402 with the order's own requirements: its amount, its lines, its id as the reference, the shop as payee", async () => {
      const order = await teaOrder();
      const challenge = await receipt(order.orderId);
      expect(challenge.status).toBe(402);
      const required = decodePaymentRequired(challenge.headers.get(PAYMENT_REQUIRED_HEADER));
      expect(required).toMatchObject({ x402Version: 2, resource: { url: `${shop.url}/api/orders/${order.orderId}/receipt` } });
      expect(agentpayAccept(required)).toMatchObject({
        scheme: 'exact', amount: String(order.amount.minor), asset: 'CNY', payTo: shop.merchant.id,
        extra: { reference: order.orderId, lineItems: order.lineItems, category: 'physical_goods' },
      });
    });

    it('answers a paid order with its receipt, with no payment asked and nothing charged again', async () => {
      const order = await teaOrder();
      await client.pay(order.orderId, await tokenFor(35_00));
      const again = await receipt(order.orderId, 'not even base64');
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ receipt: { orderId: order.orderId } });
      expect(await chargesFor(order.orderId)).toHaveLength(1);
    });

    it('an unknown order is a 404, not a payment request', async () => {
      expect((await receipt('ord_nope')).status).toBe(404);
    });
  });

  describe('scan to pay', () => {
    it('shows a signed payment code a wallet can verify, and its notify charges once', async () => {
      const order = await teaOrder();
      const orderPage = await (await fetch(`${shop.url}/orders/${order.orderId}`)).text();
      expect(orderPage).toContain(`href="/orders/${order.orderId}/pay/qr"`);
      const page = await (await fetch(`${shop.url}/orders/${order.orderId}/pay/qr`)).text();
      expect(page).toMatch(/<img id="scan-to-pay-qr" src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="Scan to pay" width="240"/);
      const text = /<code id="payment-code-text"[^>]*>([^<]+)<\/code>/.exec(page)![1]!;

      const merchant = await new RelayHttpClient(relay.httpUrl, undefined).get<MerchantWithKey>(`/v1/merchants/${shop.merchant.id}`);
      const code = await verifyPaymentCode(text, merchant.publicKey, new Date(), { origins: merchant.origins });
      expect(code).toMatchObject({ merchantId: shop.merchant.id, amount: order.amount, lineItems: order.lineItems, reference: order.orderId, notify: `${shop.url}/api/payment-codes/notify` });

      const notify = (body: unknown) => fetch(code.notify, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const first = await notify({ reference: code.reference, token: await tokenFor(35_00) });
      expect(first.status).toBe(200);
      const paid = (await first.json()) as { status: string; chargeId: string };
      expect(paid).toMatchObject({ status: 'paid', chargeId: expect.stringMatching(/^chg_/) });
      // The wallet retries (or a second wallet scans): answered as paid, nothing charged.
      const second = await notify({ reference: code.reference, token: await tokenFor(35_00) });
      expect(await second.json()).toMatchObject({ status: 'paid', chargeId: paid.chargeId });
      expect(await chargesFor(order.orderId)).toHaveLength(1);
    });

    it('refuses a notification without a token or for an unknown order', async () => {
      const post = (body: string) => fetch(`${shop.url}/api/payment-codes/notify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const missing = await post(JSON.stringify({ reference: 'ord_x' }));
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('token') } });
      expect((await post('{nope')).status).toBe(400);
      const unknown = await post(JSON.stringify({ reference: 'ord_missing', token: 'x' }));
      expect(unknown.status).toBe(404);
    });
  });

  it('offers every checkout shape on the order page, with the ids and names the e2e tests use', async () => {
    const order = await client.createOrder([{ productId: 'longjing', quantity: 2 }, { productId: 'teapot', quantity: 1 }]);
    const page = await (await fetch(`${shop.url}/orders/${order.orderId}`)).text();
    for (const needle of [
      'id="order-status"', 'Pay with an agent token',
      'id="checkout-card"', 'autocomplete="cc-name"', 'autocomplete="cc-number"', 'autocomplete="cc-exp"', 'autocomplete="cc-csc"', `action="/orders/${order.orderId}/card"`,
      `href="/orders/${order.orderId}/pay/zh"`,
      'id="pay-payment-request"', 'Pay with Payment Request',
      `href="/orders/${order.orderId}/pay/qr"`,
      'id="get-receipt"', 'Get receipt PDF',
      'id="pay-agentpay-wallet"', 'Pay with AgentPay wallet',
    ]) expect(page, needle).toContain(needle);
    const data = JSON.parse(/<script type="application\/json" id="payment-request-data">(.*?)<\/script>/s.exec(page)![1]!);
    expect(data.methods).toEqual([{ supportedMethods: 'https://agentpay.dev/pay', data: expect.objectContaining({ merchantId: shop.merchant.id, reference: order.orderId }) }]);
    expect(data.details).toMatchObject({
      id: order.orderId,
      total: { label: 'Total', amount: { currency: 'CNY', value: '259.00' } },
      displayItems: [{ amount: { currency: 'CNY', value: '70.00' } }, { amount: { currency: 'CNY', value: '189.00' } }],
    });

    await client.pay(order.orderId, await tokenFor(259_00));
    const paidPage = await (await fetch(`${shop.url}/orders/${order.orderId}`)).text();
    expect(paidPage).toMatch(/id="order-status" role="status">Paid /);
    expect(paidPage).not.toContain('Pay by card');
  });
});
