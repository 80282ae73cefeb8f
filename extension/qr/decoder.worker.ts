import * as Comlink from 'comlink';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

/**
 * Decodes QR codes off every page's thread: zxing-cpp compiled to WebAssembly,
 * loaded from the extension's own files (never a CDN), behind comlink.
 */
prepareZXingModule({ overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) } });

const decoder = {
  /** The texts of the QR codes in an image, largest first; empty when there are none. */
  async decodeImage(image: Blob): Promise<string[]> {
    const results = await readBarcodes(image, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 4 });
    return results.filter((r) => r.isValid).map((r) => r.text);
  },
};
export type QrDecoder = typeof decoder;

Comlink.expose(decoder);
