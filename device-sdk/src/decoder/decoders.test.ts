import { describe, expect, it } from 'vitest';
import type { Frame } from './frame.ts';
import { createQrDecoder } from './index.ts';
import { createZxingWasmDecoder } from './zxing-wasm.ts';
import { createNodeQrDecoder } from './node.ts';
import { paintQr, sceneFrame } from './testing/synthetic.ts';

const TEXT = '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING6304A13A';

describe.each(['zxing-wasm', 'zxing-js'] as const)('the %s decoder', (library) => {
  it.each(['rgba', 'grey'] as const)('reads a code from a %s frame, and from a region of it in frame coordinates', async (format) => {
    const decoder = await createNodeQrDecoder({ library });
    expect(decoder.name).toBe(library);
    const frame = sceneFrame(640, 480, format, 7);
    const box = paintQr(frame, TEXT, { x: 200, y: 100, module: 3 });
    expect((await decoder.decode(frame)).map((c) => c.text)).toEqual([TEXT]);
    const [code] = await decoder.decode(frame, { x: 150, y: 50, width: box.width + 100, height: box.height + 100 });
    expect(code?.text).toBe(TEXT);
    // Corner points (zxing-js: finder centres) lie inside the painted code, in whole-frame pixels.
    expect(code!.region!.x).toBeGreaterThan(box.x);
    expect(code!.region!.x + code!.region!.width).toBeLessThan(box.x + box.width);
  });

  it('finds nothing in a region without the code, or outside the frame', async () => {
    const decoder = await createNodeQrDecoder({ library });
    const frame = sceneFrame(640, 480, 'grey', 7);
    paintQr(frame, TEXT, { x: 200, y: 100, module: 3 });
    expect(await decoder.decode(frame, { x: 0, y: 0, width: 150, height: 480 })).toEqual([]);
    expect(await decoder.decode(frame, { x: 700, y: 0, width: 100, height: 100 })).toEqual([]);
  });

  it.each([
    [{ width: 4, height: 4, format: 'grey', data: new Uint8Array(15) }, 'frame data has 15 bytes but a 4×4 grey frame needs 16 (width × height × 1)'],
    [{ width: 4, height: 4, format: 'rgba', data: new Uint8ClampedArray(16) }, 'frame data has 16 bytes but a 4×4 rgba frame needs 64 (width × height × 4)'],
    [{ width: 0, height: 4, format: 'grey', data: new Uint8Array(0) }, 'frame size 0×4 is not a positive whole number of pixels'],
    [{ width: 2, height: 2, format: 'bgr', data: new Uint8Array(12) }, "frame format 'bgr' is neither 'rgba' nor 'grey'"],
  ])('refuses a malformed frame: %s', async (frame, message) => {
    const decoder = await createNodeQrDecoder({ library });
    await expect(decoder.decode(frame as Frame)).rejects.toThrow(new RangeError(message));
  });
});

describe('choosing a decoder', () => {
  it('defaults to zxing-wasm, and will not fetch its .wasm from a CDN', async () => {
    await expect(createQrDecoder()).rejects.toThrow(/needs wasmBinary or locateFile/);
    await expect(createZxingWasmDecoder({})).rejects.toThrow(TypeError);
    expect((await createQrDecoder({ library: 'zxing-js' })).name).toBe('zxing-js');
    expect((await createNodeQrDecoder()).name).toBe('zxing-wasm');
  });
});
