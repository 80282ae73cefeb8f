/** zxing-cpp compiled to WebAssembly (zxing-wasm's reader build): the default decoder, the better of the two on the zxing corpus. */
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import { boundingRegion, type DecodedCode, type QrDecoder } from './decoder.ts';
import { checkFrame, type Frame, type Region, rgbaPixels, whole } from './frame.ts';
import { clampRegion } from './regions.ts';

export interface ZxingWasmDecoderOptions {
  /**
   * The bytes of `zxing-wasm/reader/zxing_reader.wasm`. Give this or
   * `locateFile`: zxing-wasm would otherwise fetch the file from a CDN, which a
   * device on a closed network cannot reach. In Node, `loadZxingWasmBinary()`
   * from `./node.ts` reads it from the installed package.
   */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Maps `zxing_reader.wasm` to the URL it is served from (a bundled asset, an extension URL). */
  locateFile?: (file: string, scriptDirectory: string) => string;
  /**
   * Look harder at skewed, blurred and low-contrast codes (default true). Off
   * read the same zxing corpus images here and saved about 15% on frames
   * without a code.
   */
  tryHarder?: boolean;
  /**
   * Also look for light-on-dark codes (default false). Payment codes are
   * printed and shown dark on light; the extra pass cost about 20% of every
   * frame without a code, and no corpus image needed it.
   */
  tryInverted?: boolean;
  /** Most codes read from one frame (default 4); fewer lets zxing-cpp stop early. */
  maxCodes?: number;
}

/**
 * Loads the WebAssembly module (once per binary; later calls with the same
 * binary share it) and returns a decoder. zxing-wasm keeps one module per
 * process, so decoders created with different binaries replace each other's.
 */
export async function createZxingWasmDecoder(options: ZxingWasmDecoderOptions): Promise<QrDecoder> {
  const { wasmBinary, locateFile } = options;
  if (wasmBinary === undefined && locateFile === undefined) {
    throw new TypeError('createZxingWasmDecoder needs wasmBinary or locateFile (zxing-wasm would otherwise fetch its .wasm from a CDN)');
  }
  const overrides = wasmBinary !== undefined ? { wasmBinary: wasmBinary as ArrayBuffer } : { locateFile: locateFile! };
  await prepareZXingModule({ overrides, fireImmediately: true });
  const readerOptions: ReaderOptions = {
    formats: ['QRCode'],
    tryHarder: options.tryHarder ?? true,
    tryInvert: options.tryInverted ?? false,
    // Rotating the image helps linear barcodes; QR finder patterns are found at any angle.
    tryRotate: false,
    maxNumberOfSymbols: options.maxCodes ?? 4,
    // The content as encoded: the default ('HRI') writes control characters as <SOH>, which no payment code parser expects.
    textMode: 'Plain',
  };
  return {
    name: 'zxing-wasm',
    async decode(frame: Frame, region?: Region): Promise<DecodedCode[]> {
      checkFrame(frame);
      const area = region === undefined ? whole(frame) : clampRegion(region, frame.width, frame.height);
      if (area === undefined) return [];
      const data = rgbaPixels(frame, area);
      const results = await readBarcodes({ data, width: area.width, height: area.height } as ImageData, readerOptions);
      return results
        .filter((r) => r.isValid)
        .map((r) => {
          const { topLeft, topRight, bottomRight, bottomLeft } = r.position;
          return { text: r.text, region: boundingRegion([topLeft, topRight, bottomRight, bottomLeft], area) };
        });
    },
  };
}
