/**
 * The SDK's size in a maker's browser-like app: its entry points bundled by
 * esbuild for the browser (which also proves the core needs no Node API: a
 * `node:` import would not resolve), minified and gzipped.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Row, row } from '../lib/stats.ts';
import type { SuiteContext } from '../lib/suite.ts';

const AIM_CORE_GZ_KB = 40;
const SDK = fileURLToPath(new URL('../../device-sdk/src/', import.meta.url));

/** Bytes of a browser bundle of `entries`, minified, and gzipped. */
export async function bundleSize(entries: string[], external: string[] = []): Promise<{ min: number; gz: number }> {
  const source = entries.map((e) => `export * from ${JSON.stringify(SDK + e)};`).join('\n');
  const result = await build({
    stdin: { contents: source, resolveDir: SDK, loader: 'ts' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, external, logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length };
}

export async function bundleRows(ctx: SuiteContext): Promise<Row[]> {
  const kb = (bytes: number) => bytes / 1024;
  const core = await bundleSize(['index.ts']);
  // What a device using the default decoder loads (createQrDecoder imports the chosen library on demand).
  const withDecoder = await bundleSize(['index.ts', 'decoder/frame-reader.ts', 'decoder/zxing-wasm.ts']);
  const own = await bundleSize(['index.ts'], ['mqtt', 'zod']);
  const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
  ctx.note(`bundles: esbuild --platform=browser --minify, gzip -9; "own code" leaves out mqtt.js and zod (a maker's app may already carry them); the decoder's .wasm is fetched separately`);
  return [
    row('bundle: core (no decoder), minified', 'KB', kb(core.min)),
    row('bundle: core (no decoder), gzipped vs aim', 'KB', kb(core.gz), AIM_CORE_GZ_KB),
    row('bundle: core without mqtt.js and zod, gzipped vs aim', 'KB', kb(own.gz), AIM_CORE_GZ_KB),
    row('bundle: core + decoder (zxing-wasm, frame reader) JS, minified', 'KB', kb(withDecoder.min), kb(core.min)),
    row('bundle: core + decoder (zxing-wasm, frame reader) JS, gzipped', 'KB', kb(withDecoder.gz), kb(core.gz)),
    row('bundle: zxing-wasm reader .wasm, gzipped', 'KB', kb(gzipSync(wasm, { level: 9 }).length)),
  ];
}
