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

/** The relay writes its reasons in English; in Chinese the device says what the code means instead. */
const ZH_REASONS: Readonly<Record<string, string>> = {
  stale_intent: '这笔付款提出的时间太久，为安全起见没有支付，请重新说一遍',
  declined: '您为这台设备设定的规则不允许这笔付款',
  denied: '您在钱包中拒绝了这笔付款',
  expired: '钱包中的确认已超时',
  agent_revoked: '这台设备已从钱包中移除',
  login_refused: '这台设备无法登录，可能已从钱包中移除',
  no_delivery: '这个付款码无法把款项交给商户',
  cancelled: '已取消',
  other_wallet: '这是其他钱包的付款码，请用对应的应用支付',
  not_accepted: '这个商户不接受 AgentPay 付款',
  no_amount: '付款码上没有金额，请说出要付多少',
  bad_signature: '这个付款码不是商户签发的，可能是贴在原码上的假码',
  wrong_merchant: '这个付款码会把款项付到商户以外的地方',
  unknown_merchant: 'AgentPay 不认识这个商户',
  bad_crc: '付款码没有读对，请再扫一次',
  damaged_code: '付款码已损坏',
  not_a_payment_code: '这不是付款码',
};

/** The reason to speak after a hold or refusal: the relay's own words in English, a sentence of ours in Chinese. */
export function reasonToSay(result: { code: string | null; reason: string | null }, lang: Language): string | undefined {
  if (lang === 'en') return result.reason ?? undefined;
  return (result.code && ZH_REASONS[result.code]) || undefined;
}
