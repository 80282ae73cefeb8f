import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

/** The extension's own reader options (extension/qr/decoder.worker.ts). */
export const READER_OPTIONS = { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 4 } as const;

let ready: Promise<unknown> | undefined;

/** zxing-wasm's reader in Node, from the package's own .wasm (never its CDN default). */
export function prepareReader(): Promise<unknown> {
  const require = createRequire(import.meta.url);
  ready ??= prepareZXingModule({ overrides: { wasmBinary: readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')) }, fireImmediately: true });
  return ready;
}

/** Valid QR texts in a PNG (decoded by the wasm itself) or in RGBA pixels. */
export async function decodeQr(input: Uint8Array | { data: Uint8ClampedArray; width: number; height: number }): Promise<string[]> {
  const results = await readBarcodes(input as Uint8Array, { ...READER_OPTIONS, formats: [...READER_OPTIONS.formats] });
  return results.filter((r) => r.isValid).map((r) => r.text);
}

/** A PNG's RGBA pixels, decoded by Chromium (`page` may be any http(s) page of a context without the extension). */
export async function pngToPixels(page: Page, png: Buffer): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  const { base64, width, height } = await page.evaluate(async (b64: string) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    let binary = '';
    for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return { base64: btoa(binary), width: bitmap.width, height: bitmap.height };
  }, png.toString('base64'));
  return { data: new Uint8ClampedArray(Buffer.from(base64, 'base64')), width, height };
}
