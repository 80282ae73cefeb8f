/** The one small interface every QR decoding library is put behind. */
import type { Frame, Region } from './frame.ts';

/** A QR code read from a frame. */
export interface DecodedCode {
  /** The code's content, as the library decoded it (UTF-8, or the code's own ECI character set). */
  text: string;
  /** Bounding box of the code's corners, in frame pixels; the frame reader looks here first in the next frame. */
  region?: Region;
}

/** Which library does the decoding. */
export type DecoderName = 'zxing-wasm' | 'zxing-js';

export interface QrDecoder {
  readonly name: DecoderName;
  /**
   * The QR codes in the frame (an empty array when there are none), or only in
   * `region` when given: cropping first is about ten times faster than a whole
   * frame. Regions in the results are in whole-frame pixels either way. Throws
   * a RangeError when the frame's size and data disagree.
   */
  decode(frame: Frame, region?: Region): Promise<DecodedCode[]>;
}

/** The bounding box of a code's corner points, shifted by the crop's origin into frame pixels. */
export function boundingRegion(points: ReadonlyArray<{ x: number; y: number }>, origin: Region): Region | undefined {
  if (points.length === 0) return undefined;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const { x, y } of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return { x: origin.x + x0, y: origin.y + y0, width: x1 - x0, height: y1 - y0 };
}
