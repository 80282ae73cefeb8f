import { describe, expect, it } from 'vitest';
import { checkFrame, type Frame, greyPixels, rgbaPixels } from './frame.ts';

// A 3×2 RGBA frame: every pixel's grey level is its index × 10 (r = g = b), alpha 255.
const rgba: Frame = { width: 3, height: 2, format: 'rgba', data: Uint8ClampedArray.from([0, 1, 2, 3, 4, 5].flatMap((i) => [i * 10, i * 10, i * 10, 255])) };
const grey: Frame = { width: 3, height: 2, format: 'grey', data: Uint8Array.from([0, 10, 20, 30, 40, 50]) };

describe('frame pixels', () => {
  it('crops either format to grey (zxing-js input) and to RGBA (zxing-wasm input)', () => {
    const region = { x: 1, y: 0, width: 2, height: 2 };
    for (const frame of [rgba, grey]) {
      expect([...greyPixels(frame, region)]).toEqual([10, 20, 40, 50]);
      expect([...rgbaPixels(frame, region)]).toEqual([10, 10, 10, 255, 20, 20, 20, 255, 40, 40, 40, 255, 50, 50, 50, 255]);
    }
  });

  it("weighs green double in grey, as zxing's luminance does", () => {
    const frame: Frame = { width: 1, height: 1, format: 'rgba', data: Uint8Array.from([100, 200, 40, 255]) };
    expect([...greyPixels(frame)]).toEqual([135]);
  });

  it('hands whole RGBA rows to zxing-wasm without copying', () => {
    const rows = rgbaPixels(rgba, { x: 0, y: 1, width: 3, height: 1 });
    expect(rows.buffer).toBe(rgba.data.buffer);
    expect([...rows]).toEqual([30, 30, 30, 255, 40, 40, 40, 255, 50, 50, 50, 255]);
  });

  it('accepts a well-formed frame', () => {
    expect(() => checkFrame(rgba)).not.toThrow();
    expect(() => checkFrame(grey)).not.toThrow();
  });
});
