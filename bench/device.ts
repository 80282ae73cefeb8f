/**
 * Device suite: QR decoding with both libraries side by side, a passing scan
 * on the embedded defaults against MQTT round trips in the same run, how soon
 * a device pays again after a relay restart next to an HTTP agent, and the
 * SDK's bundle size. `npm run bench -- device` (BENCH_QUICK=1: fewer runs).
 * Needs ../shared/corpora/zxing-qrcode (or QR_CORPUS_DIR) for the corpus rows.
 */
import { bundleRows } from './device/bundle.ts';
import { decodeRows } from './device/decode.ts';
import { passingScanRows } from './device/passing-scan.ts';
import { restartRows } from './device/restart.ts';
import type { Suite } from './lib/suite.ts';

export const suite: Suite = {
  name: 'device',
  description: 'QR decode per 720p frame (zxing-wasm vs @zxing/library), passing scan vs MQTT round trip, back to paying after a relay restart (device vs HTTP agent), SDK bundle size',
  async run(ctx) {
    ctx.log('QR decoding');
    const rows = await decodeRows(ctx);
    ctx.log('passing scan');
    rows.push(...(await passingScanRows(ctx)));
    ctx.log('relay restart');
    rows.push(...(await restartRows(ctx)));
    ctx.log('bundle size');
    rows.push(...(await bundleRows(ctx)));
    return rows;
  },
};
