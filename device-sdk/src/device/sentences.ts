import { type Language, sayAmount, type SpokenPayment } from '../voice/index.ts';

/** Said before sending on a device with no screen, where the user hears every step. */
export function sayPaying(payment: SpokenPayment, lang: Language): string {
  return lang === 'zh' ? `正在向${payment.payee}支付${sayAmount(payment.amount, lang)}。` : `Paying ${sayAmount(payment.amount, lang)} to ${payment.payee}.`;
}

/** The token went out but the merchant never said it took it: it may or may not have charged. */
export function sayUnconfirmed(lang: Language): string {
  return lang === 'zh' ? '商户没有确认这笔付款。再次付款前，请先在钱包中查看。' : 'The merchant did not confirm the payment. Check the wallet before paying again.';
}

/** "confirm" or "cancel" with no question open. */
export function sayNothingToConfirm(lang: Language): string {
  return lang === 'zh' ? '现在没有需要确认的付款。' : 'There is no payment to confirm.';
}
