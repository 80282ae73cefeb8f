import { parsePaymentCode as parseSignedCode, PAYMENT_CODE_PREFIX, PaymentCodeError as SignedCodeError, type ParsedPaymentCode } from '@agentpay/protocol';
import { type EmvcoPaymentCode, parseEmvco } from './emvco.ts';
import { UnpayableCodeError } from './errors.ts';
import { parseWalletUrl, type WalletUrlCode } from './wallet-urls.ts';

export { UnpayableCodeError, type PaymentCodeProblem } from './errors.ts';
export type { EmvcoPaymentCode } from './emvco.ts';
export type { WalletUrlCode } from './wallet-urls.ts';

/** This project's own merchant code, signed by the merchant; verify it with the merchant's key before paying. */
export interface SignedMerchantCode extends ParsedPaymentCode {
  kind: 'agentpay';
}

export type PaymentCode = EmvcoPaymentCode | WalletUrlCode | SignedMerchantCode;

/**
 * Reads whatever a camera decoded: an EMVCo merchant-presented code, a Chinese
 * wallet's URL code, or an AgentPay signed merchant code. Anything else, or a
 * damaged one, throws UnpayableCodeError with the problem and a sentence a device
 * can speak.
 */
export function readPaymentCode(text: string, now: Date = new Date()): PaymentCode {
  const trimmed = text.trim();
  if (trimmed.startsWith(PAYMENT_CODE_PREFIX)) {
    try {
      return { kind: 'agentpay', ...parseSignedCode(trimmed, now) };
    } catch (error) {
      if (error instanceof SignedCodeError) throw new UnpayableCodeError(error.code === 'payment_code_expired' ? 'invalid_field' : 'damaged_code', error.message);
      throw error;
    }
  }
  if (trimmed.startsWith('000201')) return parseEmvco(trimmed);
  const walletUrl = parseWalletUrl(trimmed);
  if (walletUrl) return walletUrl;
  throw new UnpayableCodeError('not_a_payment_code', 'this QR code is not a payment code');
}
