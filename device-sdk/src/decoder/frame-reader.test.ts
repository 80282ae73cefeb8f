import { beforeAll, describe, expect, it } from 'vitest';
import type { QrDecoder } from './decoder.ts';
import { createFrameReader } from './frame-reader.ts';
import type { Frame, PixelFormat, Region } from './frame.ts';
import { createNodeQrDecoder } from './node.ts';
import { paintQr, sceneFrame } from './testing/synthetic.ts';

const ALIPAY = 'https://qr.alipay.com/fkx12345abcde';
const WECHAT = 'wxp://f2f0aBcDeFgHiJkLmN_0123';

let wasm: QrDecoder;
let zxingJs: QrDecoder;
beforeAll(async () => {
  wasm = await createNodeQrDecoder();
  zxingJs = await createNodeQrDecoder({ library: 'zxing-js' });
});
const byName = (name: string) => (name === 'zxing-js' ? zxingJs : wasm);

/** The decoder, counting the regions it is asked to decode (undefined: the whole frame). */
function counting(decoder: QrDecoder): QrDecoder & { calls: Array<Region | undefined> } {
  const calls: Array<Region | undefined> = [];
  return { name: decoder.name, calls, decode: (frame, region) => (calls.push(region), decoder.decode(frame, region)) };
}

function frameWithCode(format: PixelFormat, at: { x: number; y: number }, text = ALIPAY, seed = 1): { frame: Frame; box: Region } {
  const frame = sceneFrame(1280, 720, format, seed);
  return { frame, box: paintQr(frame, text, { ...at, module: 4 }) };
}

describe('createFrameReader on 1280×720 street frames', () => {
  it.each([
    ['rgba', 'zxing-wasm'],
    ['grey', 'zxing-wasm'],
    ['rgba', 'zxing-js'],
  ] as const)('finds a code in the centre of a %s frame in the region of interest, and says where (%s)', async (format, name) => {
    const { frame, box } = frameWithCode(format, { x: 560, y: 280 });
    const decoder = counting(byName(name));
    const { codes, stage } = await createFrameReader(decoder).read(frame);
    expect(stage).toBe('roi');
    expect(codes.map((c) => c.text)).toEqual([ALIPAY]);
    const region = codes[0]!.region!;
    expect(region.x).toBeGreaterThanOrEqual(box.x);
    expect(region.x + region.width).toBeLessThanOrEqual(box.x + box.width);
    expect(decoder.calls).toEqual([{ x: 320, y: 180, width: 640, height: 360 }]);
  });

  it('finds a code outside the region of interest around its finder patterns, without decoding the whole frame', async () => {
    const { frame } = frameWithCode('rgba', { x: 30, y: 30 });
    const decoder = counting(wasm);
    const { codes, stage } = await createFrameReader(decoder).read(frame);
    expect(stage).toBe('finders');
    expect(codes.map((c) => c.text)).toEqual([ALIPAY]);
    expect(decoder.calls.every((r) => r !== undefined && r.width * r.height < (1280 * 720) / 4)).toBe(true);
  });

  it('decodes the whole frame when the region of interest misses and the precheck is off', async () => {
    const { frame } = frameWithCode('grey', { x: 1000, y: 440 });
    const { codes, stage } = await createFrameReader(wasm, { precheck: false }).read(frame);
    expect(stage).toBe('frame');
    expect(codes.map((c) => c.text)).toEqual([ALIPAY]);
  });

  it.each([1, 2, 3, 4, 5, 6])('rejects a frame without a code before any decoding (scene %i)', async (seed) => {
    const decoder = counting(wasm);
    const read = await createFrameReader(decoder).read(sceneFrame(1280, 720, seed % 2 ? 'rgba' : 'grey', seed));
    expect(read).toEqual({ codes: [], stage: 'empty' });
    expect(decoder.calls).toEqual([]);
  });

  it('reads both codes of a kiosk showing Alipay and WeChat Pay side by side', async () => {
    const { frame } = frameWithCode('rgba', { x: 300, y: 200 });
    paintQr(frame, WECHAT, { x: 760, y: 200, module: 4 });
    const { codes } = await createFrameReader(wasm).read(frame);
    expect(codes.map((c) => c.text).sort()).toEqual([ALIPAY, WECHAT].sort());
  });

  it.each(['zxing-wasm', 'zxing-js'])('looks first where the last frame had its code, before any precheck (%s)', async (name) => {
    const decoder = counting(byName(name));
    const reader = createFrameReader(decoder, { roi: null });
    expect(await reader.read(frameWithCode('rgba', { x: 900, y: 60 }).frame)).toMatchObject({ stage: 'finders' });
    decoder.calls.length = 0;
    // The next frame: the code moved a little, the scene's noise changed.
    const { codes, stage } = await reader.read(frameWithCode('rgba', { x: 880, y: 75 }, ALIPAY, 2).frame);
    expect(stage).toBe('roi');
    expect(codes.map((c) => c.text)).toEqual([ALIPAY]);
    expect(decoder.calls).toHaveLength(1);
    // Gone from the frame: its old place is tried once, then the precheck rejects the frame and the place is forgotten.
    expect(await reader.read(sceneFrame(1280, 720, 'rgba', 3))).toEqual({ codes: [], stage: 'empty' });
    expect(decoder.calls).toHaveLength(2);
    await reader.read(sceneFrame(1280, 720, 'rgba', 4));
    expect(decoder.calls).toHaveLength(2);
  });

  it('refuses a frame whose data does not match its size, naming both', async () => {
    const frame: Frame = { width: 1280, height: 720, format: 'rgba', data: new Uint8Array(1280 * 720) };
    await expect(createFrameReader(wasm).read(frame)).rejects.toThrow(
      new RangeError('frame data has 921600 bytes but a 1280×720 rgba frame needs 3686400 (width × height × 4)'),
    );
  });
});
