import { browser } from 'wxt/browser';
import * as z from 'zod';
import { decodeQrFromUrl } from '../../qr/decoder.ts';

/** Chrome's offscreen document: it exists only to host the QR decoder's worker for the service worker. */
const DecodeRequest = z.object({ target: z.literal('offscreen'), type: z.literal('qr.decode'), imageUrl: z.string() });

browser.runtime.onMessage.addListener((message, sender) => {
  const request = DecodeRequest.safeParse(message);
  if (!request.success || sender.id !== browser.runtime.id) return undefined;
  return decodeQrFromUrl(request.data.imageUrl).then(
    (texts) => ({ ok: true, texts }),
    (error: Error) => ({ ok: false, message: error.message }),
  );
});
