/**
 * QR decoding for the device SDK: camera frames in, code texts out, behind
 * one small interface with two libraries. zxing-wasm (zxing-cpp) is the
 * default: it read 166 of the zxing corpus's 179 images against @zxing/library's
 * 157, and faster. Runs anywhere with WebAssembly; Node users take the .wasm
 * from `./node.ts`.
 */
import type { DecoderName, QrDecoder } from './decoder.ts';
import type { ZxingJsDecoderOptions } from './zxing-js.ts';
import type { ZxingWasmDecoderOptions } from './zxing-wasm.ts';

export type { DecodedCode, DecoderName, QrDecoder } from './decoder.ts';
export { checkFrame, type Frame, type PixelFormat, type Region } from './frame.ts';
export { createFrameReader, type FrameRead, type FrameReader, type FrameReaderOptions, type ReadStage } from './frame-reader.ts';
export type { ZxingJsDecoderOptions } from './zxing-js.ts';
export type { ZxingWasmDecoderOptions } from './zxing-wasm.ts';

export interface QrDecoderOptions extends ZxingWasmDecoderOptions, ZxingJsDecoderOptions {
  /** Which library decodes (default 'zxing-wasm'); 'zxing-js' needs no WebAssembly and no .wasm file. */
  library?: DecoderName;
}

/** The default decoder (zxing-wasm, which needs `wasmBinary` or `locateFile`), or the one `library` names. */
export async function createQrDecoder(options: QrDecoderOptions = {}): Promise<QrDecoder> {
  const library = options.library ?? 'zxing-wasm';
  // Loaded on demand: a device ships one library, and a bundler splits the other off.
  if (library === 'zxing-js') return (await import('./zxing-js.ts')).createZxingJsDecoder(options);
  if (library === 'zxing-wasm') return (await import('./zxing-wasm.ts')).createZxingWasmDecoder(options);
  throw new RangeError(`unknown QR decoding library '${String(library)}': 'zxing-wasm' or 'zxing-js'`);
}
