import * as Comlink from 'comlink';
import type { QrDecoder } from './decoder.worker.ts';
import DecoderWorker from './decoder.worker.ts?worker';

let worker: Comlink.Remote<QrDecoder> | undefined;

/** The decoder worker, started on first use (in the offscreen document, or Firefox's background page). */
export function qrDecoder(): Comlink.Remote<QrDecoder> {
  worker ??= Comlink.wrap<QrDecoder>(new DecoderWorker());
  return worker;
}

/** Fetches an image (the extension may read any origin's) and decodes it. */
export async function decodeQrFromUrl(imageUrl: string): Promise<string[]> {
  const response = await fetch(imageUrl, { credentials: 'omit' });
  if (!response.ok) throw new Error('the QR image could not be loaded');
  const blob = await response.blob();
  return qrDecoder().decodeImage(blob);
}
