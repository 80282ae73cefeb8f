/** Node-only helpers: the SDK core never touches the file system, so Node users load the .wasm here. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { QrDecoder } from './decoder.ts';
import { createQrDecoder, type QrDecoderOptions } from './index.ts';

let binary: Promise<Uint8Array> | undefined;

/** The bytes of the installed `zxing-wasm/reader/zxing_reader.wasm`, read once per process. */
export function loadZxingWasmBinary(): Promise<Uint8Array> {
  const require = createRequire(import.meta.url);
  binary ??= readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
  return binary;
}

/** `createQrDecoder` with zxing-wasm's .wasm read from node_modules (not read at all for 'zxing-js'). */
export async function createNodeQrDecoder(options: Omit<QrDecoderOptions, 'wasmBinary' | 'locateFile'> = {}): Promise<QrDecoder> {
  if (options.library === 'zxing-js') return createQrDecoder(options);
  return createQrDecoder({ ...options, wasmBinary: await loadZxingWasmBinary() });
}
