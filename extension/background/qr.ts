import { type Merchant, PaymentCodeError, type PublicJwk, parsePaymentCode, verifyPaymentCode } from '@agentpay/protocol';
import { browser } from 'wxt/browser';
import { walletClient } from '../shared/relay.ts';
import { beginCheckout, type CheckoutSource } from './checkouts.ts';
import { CheckoutFailure } from './failure.ts';
import { type PaymentQr, paymentCodeIn } from '../checkout/payment-qr.ts';

/**
 * "Scan to pay" on a desktop page, in two steps. `readPaymentQr` decodes the image
 * off the page's thread and tells a payment code from any other QR code, silently:
 * a link in an article must lead to nothing the user sees. `payQrCode` then reads
 * the merchant's signed code, checks it with the merchant's key from the relay (and
 * that the page showing it is that merchant's) and pays it like any other checkout;
 * the token goes to the code's notify address.
 */
export async function readPaymentQr(imageUrl: string, source: CheckoutSource): Promise<PaymentQr | null> {
  // The extension may read any origin: a page must not use it to fetch what the page itself could not.
  const url = new URL(imageUrl, source.origin);
  if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== source.origin) return null;
  // An image that cannot be read was never known to be a payment code: nothing to say about it.
  const texts = await decodeQr(url.href).catch(() => []);
  return paymentCodeIn(texts);
}

/** Refuses a code of a bank's or wallet's network, naming whose it is. */
export function refuseForeignCode(code: Extract<PaymentQr, { kind: 'emvco' }>): never {
  const whose = code.merchantName ? ` for ${code.merchantName}` : '';
  throw new CheckoutFailure(
    'foreign_payment_code',
    `this "scan to pay" code${whose} is an EMVCo code, paid through a bank's or a wallet app's own network; AgentPay pays only merchants' signed AgentPay codes, so nothing was paid`,
  );
}

/** Pays a merchant's signed AgentPay code found on the page, once its signature and origin check out. */
export async function payQrCode(start: { checkoutId: string; text: string; agentName: string }, source: CheckoutSource): Promise<void> {
  const { text } = start;
  const wallet = await walletClient();
  try {
    const claimed = parsePaymentCode(text);
    const merchant = await wallet.get<Merchant & { publicKey: PublicJwk }>(`/v1/merchants/${encodeURIComponent(claimed.kid)}`);
    // Only origins the merchant proved count: anyone can claim a shop's origin.
    if (!merchant.provenOrigins.includes(source.origin)) {
      throw new CheckoutFailure('wrong_merchant', `the QR code is ${merchant.name}'s, but it is shown on ${source.origin}, which is not a site it has proven as its own`);
    }
    const code = await verifyPaymentCode(text, merchant.publicKey, new Date(), { origins: merchant.provenOrigins });
    await beginCheckout(
      {
        checkoutId: start.checkoutId,
        shape: 'qr',
        agentName: start.agentName,
        order: { amount: code.amount, lineItems: code.lineItems, category: code.category, description: code.description ?? `Order ${code.reference}`, reference: code.reference, merchantId: code.merchantId },
        notify: { url: code.notify, reference: code.reference },
      },
      source,
    );
  } catch (error) {
    if (error instanceof PaymentCodeError) throw new CheckoutFailure(error.code, `this QR code cannot be paid: ${error.message}`);
    throw error;
  }
}

async function decodeQr(imageUrl: string): Promise<string[]> {
  if (import.meta.env.FIREFOX) {
    // Firefox's background is a page, so it can start the worker itself.
    const { decodeQrFromUrl } = await import('../qr/decoder.ts');
    return decodeQrFromUrl(imageUrl);
  }
  const offscreen = browser.offscreen;
  if (!(await offscreen.hasDocument())) {
    await offscreen
      .createDocument({ url: '/offscreen.html', reasons: ['WORKERS'], justification: 'decode QR codes in a worker' })
      .catch((error: Error) => {
        if (!/single offscreen/i.test(error.message)) throw error; // a concurrent decode made it first
      });
  }
  const answer = (await browser.runtime.sendMessage({ target: 'offscreen', type: 'qr.decode', imageUrl })) as { ok: boolean; texts?: string[]; message?: string };
  if (!answer.ok) throw new CheckoutFailure('qr_unreadable', answer.message ?? 'the QR image could not be decoded');
  return answer.texts ?? [];
}
