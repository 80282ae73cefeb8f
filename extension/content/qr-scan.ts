/**
 * Finds "scan to pay" QR images on a page an agent is driving: images whose
 * alt, title or label, or the short text around them, say scan / QR / 扫码,
 * and that are big and square enough to hold a code. Each is offered once.
 */
const SCAN_WORDS = /scan|\bqr\b|qr ?code|扫码|扫一扫|二维码|付款码|收款码/i;
const offered = new WeakSet<HTMLImageElement>();

export function findPaymentQrImages(): HTMLImageElement[] {
  return Array.from(document.images).filter((img) => {
    if (offered.has(img) || !img.complete || img.naturalWidth < 64) return false;
    const ratio = img.naturalWidth / img.naturalHeight;
    if (ratio < 0.8 || ratio > 1.25) return false;
    const own = [img.alt, img.title, img.getAttribute('aria-label')].join(' ');
    const around = img.parentElement?.textContent ?? '';
    return SCAN_WORDS.test(own) || (around.length < 300 && SCAN_WORDS.test(around));
  });
}

/**
 * Calls `offer` for every payment QR image on the page once it has loaded,
 * and for any image that finishes loading later (added, or its src changed:
 * both end in a load event, caught here in the capture phase), so no observer
 * runs on every change to the page.
 */
export function watchForPaymentQr(offer: (img: HTMLImageElement) => void, signal?: AbortSignal): void {
  const scan = () => {
    for (const img of findPaymentQrImages()) {
      offered.add(img);
      offer(img);
    }
  };
  let scheduled = false;
  const onImageLoad = (event: Event) => {
    if (!(event.target instanceof HTMLImageElement) || scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      if (!signal?.aborted) scan();
    }, 100);
  };
  const start = () => {
    scan();
    document.addEventListener('load', onImageLoad, { capture: true, signal });
  };
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true, signal });
}
