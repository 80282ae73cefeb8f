import { type Category, type MerchantWithKey, PaymentCodeError, verifyPaymentCode } from '@agentpay/protocol';
import { type EmvcoPaymentCode, readPaymentCode, UnpayableCodeError } from '../payment-codes/index.ts';
import type { PaymentRequest } from '../payments/types.ts';

/**
 * The globally unique identifier of AgentPay in an EMVCo merchant account
 * template (IDs 26–51): sub-field 01 holds the relay's merchant id, so a
 * printed EMVCo code can name an AgentPay merchant beside other schemes.
 */
export const AGENTPAY_EMVCO_GUID = 'dev.agentpay';

/** What a scanned code asks to be paid, or why it cannot be: `reason` is a sentence to speak. */
export type CodePayment =
  | { ok: true; request: Omit<PaymentRequest, 'channel'> }
  | { ok: false; code: string; reason: string };

/** ISO 18245 merchant category codes seen at gates and counters, as intent categories. */
const MCC_CATEGORIES: Record<string, Category> = {
  '7523': 'parking', '4784': 'tolls', '5552': 'ev_charging', '5541': 'fuel', '5542': 'fuel', '5411': 'groceries',
  '5812': 'food', '5814': 'food', '4111': 'transport', '4121': 'transport', '4131': 'transport', '5499': 'groceries',
};

/** Turns a decoded QR text into the payment it asks for: AgentPay signed codes and EMVCo codes naming AgentPay. */
export function paymentForCode(text: string, now: Date = new Date()): CodePayment {
  let code: ReturnType<typeof readPaymentCode>;
  try {
    code = readPaymentCode(text, now);
  } catch (error) {
    if (error instanceof UnpayableCodeError) return { ok: false, code: error.problem, reason: error.message };
    throw error;
  }
  if (code.kind === 'agentpay') {
    const { payload } = code;
    return {
      ok: true,
      request: {
        merchant: { id: payload.merchantId, name: payload.description ?? 'the merchant' },
        amount: payload.amount,
        lineItems: payload.lineItems,
        category: payload.category,
        ...(payload.description ? { description: payload.description } : {}),
        reference: payload.reference,
        notify: { url: payload.notify, reference: payload.reference },
      },
    };
  }
  if (code.kind === 'wallet-url') {
    const wallet = { alipay: 'Alipay', 'wechat-pay': 'WeChat Pay', unionpay: 'UnionPay' }[code.wallet];
    return { ok: false, code: 'other_wallet', reason: `this is ${wallet === 'Alipay' ? 'an' : 'a'} ${wallet} code; pay it with the ${wallet} app` };
  }
  return fromEmvco(code);
}

function fromEmvco(code: EmvcoPaymentCode): CodePayment {
  const account = code.accounts.find((a) => a.guid?.toLowerCase() === AGENTPAY_EMVCO_GUID);
  const merchantId = account?.fields['01'];
  if (!merchantId) {
    const schemes = code.accounts.map((a) => a.guid ?? `account ${a.id}`).join(', ');
    return { ok: false, code: 'not_accepted', reason: `${code.merchantName} takes ${schemes || 'other schemes'}, not AgentPay` };
  }
  if (!code.amount) {
    return { ok: false, code: 'no_amount', reason: `${code.merchantName}'s code has no amount; say how much to pay` };
  }
  const reference = code.additionalData.billNumber ?? code.additionalData.referenceLabel;
  return {
    ok: true,
    request: {
      merchant: { id: merchantId, name: code.merchantName },
      amount: code.amount,
      category: MCC_CATEGORIES[code.merchantCategoryCode] ?? 'other',
      ...(reference ? { reference, description: `${code.merchantName} ${reference}` } : {}),
    },
  };
}

/**
 * Checks a code's payment against the merchant as the relay knows it, before
 * anything is paid: a signed code must be signed with that merchant's key and
 * send the token only to one of its origins (a code printed over the real one
 * would otherwise collect it), and the name read back is the relay's, never
 * one the code gives itself.
 */
export async function checkCodePayment(
  text: string,
  found: Extract<CodePayment, { ok: true }>,
  merchant: MerchantWithKey,
  now: Date = new Date(),
): Promise<CodePayment> {
  if (found.request.notify) {
    try {
      await verifyPaymentCode(text, merchant.publicKey, now, { origins: merchant.origins });
    } catch (error) {
      if (!(error instanceof PaymentCodeError)) throw error;
      const reason = error.code === 'bad_signature'
        ? `this code was not signed by ${merchant.name}; it may be a fake stuck over the real one`
        : `this code would send the payment somewhere ${merchant.name} does not own`;
      return { ok: false, code: error.code, reason };
    }
  }
  return { ok: true, request: { ...found.request, merchant: { id: merchant.id, name: merchant.name } } };
}
