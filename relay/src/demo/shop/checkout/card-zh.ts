/**
 * The card form in Chinese, as many checkouts in China have it: no
 * autocomplete attributes, no cc-* names, labels only in Chinese, so an
 * agent (or the extension) has to read the labels to fill it.
 *
 *   on the order page: section#checkout-card-zh, heading "中文银行卡付款", a#card-zh-pay-link
 *   GET  /orders/:id/pay/zh  page (lang zh-CN), form#zh-card-form
 *   POST /orders/:id/pay/zh
 *     #zh-xingming   name="xingming"   label "持卡人姓名"     placeholder "请输入持卡人姓名"
 *     #zh-kahao      name="kahao"      label "卡号"          placeholder "请输入银行卡号"
 *     #zh-youxiaoqi  name="youxiaoqi"  label "有效期 (月/年)" placeholder "月/年"
 *     #zh-anquanma   name="anquanma"   label "安全码 (CVV)"   placeholder "卡背面三位数字"
 *     button#zh-submit "确认支付"
 *
 * Paid → 303 to /orders/:id; refused → this page again with the reason (role=alert).
 */
import { ShopError } from '../errors.ts';
import { errorBox, esc, layout, money } from '../html.ts';
import type { Order } from '../orders.ts';
import { payByCard } from './card.ts';
import type { CardLabels } from './card-fields.ts';
import type { CheckoutShape } from './types.ts';

const LABELS: CardLabels = { name: '持卡人姓名', number: '卡号', expiry: '有效期 (月/年)', cvc: '安全码 (CVV)' };

const zhPath = (order: Order) => `/orders/${esc(order.orderId)}/pay/zh`;

function chinesePage(order: Order, error?: { code: string; message: string }): string {
  return layout(`支付订单 ${order.orderId}`, `<h2>银行卡支付</h2>${errorBox(error)}
<p>订单 <code>${esc(order.orderId)}</code> · 应付金额 <strong id="zh-amount">${money(order.amount.minor)}</strong></p>
<form id="zh-card-form" method="post" action="${zhPath(order)}">
<label for="zh-xingming">${LABELS.name}</label><input id="zh-xingming" name="xingming" placeholder="请输入持卡人姓名" required>
<label for="zh-kahao">${LABELS.number}</label><input id="zh-kahao" name="kahao" placeholder="请输入银行卡号" inputmode="numeric" required size="24">
<label for="zh-youxiaoqi">${LABELS.expiry}</label><input id="zh-youxiaoqi" name="youxiaoqi" placeholder="月/年" required size="7">
<label for="zh-anquanma">${LABELS.cvc}</label><input id="zh-anquanma" name="anquanma" placeholder="卡背面三位数字" inputmode="numeric" required size="5">
<p><button type="submit" id="zh-submit">确认支付</button></p></form>
<p class="muted"><a href="/orders/${esc(order.orderId)}" lang="en">Back to the order (English)</a></p>`, 'zh-CN');
}

export const chineseCardShape: CheckoutShape = {
  id: 'checkout-card-zh',
  render: (order) => `<section class="pay" id="checkout-card-zh"><h3 lang="zh-CN">中文银行卡付款</h3>
<p><a id="card-zh-pay-link" href="${zhPath(order)}">Pay by card on the Chinese page (<span lang="zh-CN">银行卡支付</span>)</a></p></section>`,
  routes(app, deps) {
    app.get('/orders/:id/pay/zh', (c) => {
      const order = deps.orders.get(c.req.param('id'));
      if (order.status === 'paid') return c.redirect(`/orders/${encodeURIComponent(order.orderId)}`, 303);
      return c.html(chinesePage(order));
    });
    app.post('/orders/:id/pay/zh', async (c) => {
      const form = await c.req.parseBody();
      const fields = { name: form.xingming, number: form.kahao, expiry: form.youxiaoqi, cvc: form.anquanma };
      return payByCard(c, deps, fields, LABELS, async (order: Order, error: ShopError) => chinesePage(order, error));
    });
  },
};
