import { type Category, Money, minorToDecimal } from '@agentpay/protocol';
import type { Language } from './text.ts';

/** What the device reads back before paying. */
export interface SpokenPayment {
  amount: Money;
  /** Who is paid, as the user knows them: "Tea Shop", "茶叶店". */
  payee: string;
  category?: Category;
}

/** Currency names people say; others are read as their code ("35.00 SGD"). */
const CURRENCY_NAMES: Record<Language, Readonly<Record<string, string>>> = {
  en: { CNY: 'yuan', USD: 'dollars', EUR: 'euros', JPY: 'yen', GBP: 'pounds', HKD: 'Hong Kong dollars' },
  zh: { CNY: '元', USD: '美元', EUR: '欧元', JPY: '日元', GBP: '英镑', HKD: '港币' },
};

/** What a category is called in a sentence: "for parking", "支付停车费". `other` is not said. */
const CATEGORY_NAMES: Record<Language, Partial<Record<Category, string>>> = {
  en: {
    physical_goods: 'goods', digital_goods: 'digital goods', groceries: 'groceries', food: 'food', parking: 'parking',
    tolls: 'tolls', ev_charging: 'charging', fuel: 'fuel', transport: 'transport', travel: 'travel',
    entertainment: 'entertainment', services: 'services',
  },
  zh: {
    physical_goods: '商品费用', digital_goods: '数字商品费用', groceries: '购物费用', food: '餐饮费', parking: '停车费',
    tolls: '通行费', ev_charging: '充电费', fuel: '油费', transport: '交通费', travel: '旅行费用',
    entertainment: '娱乐费用', services: '服务费',
  },
};

/** Names and reasons come from outside (a merchant, the relay): spoken plainly and briefly, never as a sentence of their own. */
function clean(text: string, max: number): string {
  const plain = Array.from(text.replace(/[\p{Cc}\p{Cf}]/gu, '').replace(/\s+/g, ' ').trim());
  const short = plain.length > max ? `${plain.slice(0, max).join('')}…` : plain.join('');
  return short.replace(/[.。!！]+$/u, '');
}

function checkLanguage(lang: Language): void {
  if (lang !== 'en' && lang !== 'zh') throw new TypeError(`lang must be "en" or "zh", got ${JSON.stringify(lang)}`);
}

/** An amount as spoken, with the currency's own decimals: "35.00 yuan", "1200 yen", "35.00元". */
export function sayAmount(amount: Money, lang: Language): string {
  checkLanguage(lang);
  const parsed = Money.safeParse(amount);
  if (!parsed.success) throw new TypeError(`not an amount: ${JSON.stringify(amount)}`);
  const { minor, currency } = parsed.data;
  const name = CURRENCY_NAMES[lang][currency];
  const number = minorToDecimal(minor, currency);
  if (!name) return `${number} ${currency}`;
  return lang === 'zh' ? `${number}${name}` : `${number} ${name}`;
}

function checkPayee(payee: string): string {
  const name = typeof payee === 'string' ? clean(payee, 60) : '';
  if (!name) throw new TypeError('a payment read back needs the payee: the user must hear who is paid');
  return name;
}

/**
 * The read-back before paying, ending with what to say next:
 * "About to pay 35.00 yuan to Tea Shop for parking. Say confirm or cancel." /
 * "即将向茶叶店支付停车费35.00元。请说“确认”或“取消”。"
 */
export function sayPayment(payment: SpokenPayment, lang: Language): string {
  const amount = sayAmount(payment.amount, lang);
  const payee = checkPayee(payment.payee);
  const category = payment.category && CATEGORY_NAMES[lang][payment.category];
  if (lang === 'zh') return `即将向${payee}支付${category ?? ''}${amount}。请说“确认”或“取消”。`;
  return `About to pay ${amount} to ${payee}${category ? ` for ${category}` : ''}. Say confirm or cancel.`;
}

/** After the payment went through: "Paid 35.00 yuan to Tea Shop." / "已向茶叶店支付35.00元。" */
export function sayPaid(payment: SpokenPayment, lang: Language): string {
  const amount = sayAmount(payment.amount, lang);
  const payee = checkPayee(payment.payee);
  return lang === 'zh' ? `已向${payee}支付${amount}。` : `Paid ${amount} to ${payee}.`;
}

/** After "cancel": nothing was paid. */
export function sayCancelled(lang: Language): string {
  checkLanguage(lang);
  return lang === 'zh' ? '已取消，没有付款。' : 'Cancelled. Nothing was paid.';
}

/** A sentence from outside (the relay's reason), spoken after ours, ended the language's way. */
function sentence(reason: string | undefined, lang: Language): string {
  const text = typeof reason === 'string' ? clean(reason, 200) : '';
  if (!text) return '';
  // The relay writes its reasons as clauses ("no rule allows it …"); spoken after ours they start a sentence.
  return lang === 'zh' ? text + '。' : ` ${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** The relay holds the payment for the user's approval in the wallet app; `reason` is the relay's sentence, if any. */
export function sayHeld(lang: Language, reason?: string): string {
  checkLanguage(lang);
  return (lang === 'zh' ? '等待您在钱包中确认。' : 'Waiting for your approval in the wallet.') + sentence(reason, lang);
}

/** The payment was refused (by the mandate, the relay or the merchant); `reason` is the relay's sentence, if any. */
export function sayRefused(lang: Language, reason?: string): string {
  checkLanguage(lang);
  return (lang === 'zh' ? '付款被拒绝，没有扣款。' : 'The payment was refused; nothing was paid.') + sentence(reason, lang);
}

/**
 * When `understand` said unknown, what the user can say next: to a read-back,
 * only confirm or cancel; otherwise, what to pay.
 */
export function sayNotUnderstood(lang: Language, awaiting: 'request' | 'confirmation' = 'request'): string {
  checkLanguage(lang);
  if (awaiting === 'confirmation') return lang === 'zh' ? '抱歉，没有听清。请说“确认”或“取消”。' : 'Sorry, I did not catch that. Say confirm or cancel.';
  return lang === 'zh' ? '抱歉，没有听清。请说要付的款，比如“付停车费”。' : 'Sorry, I did not catch that. Say what to pay, for example: pay the parking fee.';
}
