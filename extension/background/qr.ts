import { type Merchant, PaymentCodeError, type PublicJwk, parsePaymentCode, verifyPaymentCode } from '@agentpay/protocol';
import { browser } from 'wxt/browser';
import { walletClient } from '../shared/relay.ts';
import { beginCheckout, type CheckoutSource } from './checkouts.ts';
import { CheckoutFailure } from './failure.ts';

/**
 * "Scan to pay" on a desktop page: decode the QR image off the page's thread,
 * read the merchant's signed payment code, check it with the merchant's key
 * from the relay (and that the page showing it is that merchant's), then pay
 * it like any other checkout; the token goes to the code's notify address.
 */
export async function beginQrCheckout(start: { checkoutId: string; imageUrl: string; agentName: string }, source: CheckoutSource): Promise<void> {
  // The extension may read any origin: a page must not use it to fetch what the page itself could not.
  const url = new URL(start.imageUrl, source.origin);
  if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== source.origin) {
    throw new CheckoutFailure('qr_elsewhere', 'the "scan to pay" image is not on the checkout\'s own site, so AgentPay does not read it');
  }
  const texts = await decodeQr(start.imageUrl);
  if (texts.length === 0) throw new CheckoutFailure('no_qr_code', 'no QR code could be read in the "scan to pay" image');
  const text = texts.find((t) => t.trim().startsWith('agentpay://')) ?? texts[0]!;
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
