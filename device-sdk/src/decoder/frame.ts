/** Camera frames and the pixel conversions the decoders need, in plain TypeScript (no Node or DOM API). */

/** How a frame's bytes are laid out: RGBA is 4 bytes a pixel (canvas ImageData, most camera APIs), grey is 1 (a camera's Y plane). */
export type PixelFormat = 'rgba' | 'grey';

/** A camera frame: RGBA (4 bytes a pixel) or greyscale (1 byte a pixel), rows top to bottom without padding. */
export interface Frame {
  /** Pixels a row. */
  width: number;
  /** Rows. */
  height: number;
  /** width × height × (4 for RGBA, 1 for grey) bytes. */
  data: Uint8Array | Uint8ClampedArray;
  format: PixelFormat;
}

/** A rectangle of a frame, in pixels from its top-left corner. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

const BYTES_PER_PIXEL: Record<PixelFormat, number> = { rgba: 4, grey: 1 };

/** Throws a RangeError saying what is wrong with the frame; a wrong stride would otherwise decode as noise and fail silently. */
export function checkFrame(frame: Frame): void {
  const { width, height, data, format } = frame;
  const channels = BYTES_PER_PIXEL[format];
  if (channels === undefined) throw new RangeError(`frame format '${String(format)}' is neither 'rgba' nor 'grey'`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`frame size ${width}×${height} is not a positive whole number of pixels`);
  }
  const expected = width * height * channels;
  if (data.length !== expected) {
    throw new RangeError(
      `frame data has ${data.length} bytes but a ${width}×${height} ${format} frame needs ${expected} (width × height × ${channels})`,
    );
  }
}

/**
 * The region's luminance, one byte a pixel. (r + 2g + b) / 4 is zxing's own
 * approximation: close enough for binarizing and cheaper than true luma.
 */
export function greyPixels(frame: Frame, region: Region = whole(frame)): Uint8ClampedArray {
  const { x, y, width, height } = region;
  const out = new Uint8ClampedArray(width * height);
  const src = frame.data;
  for (let row = 0; row < height; row++) {
    const at = (y + row) * frame.width + x;
    if (frame.format === 'grey') {
      out.set(src.subarray(at, at + width), row * width);
      continue;
    }
    for (let col = 0, i = at * 4, o = row * width; col < width; col++, i += 4, o++) {
      out[o] = (src[i]! + 2 * src[i + 1]! + src[i + 2]!) >> 2;
    }
  }
  return out;
}

/** The region as RGBA (zxing-wasm's only pixel input); the frame's own bytes when nothing needs copying. */
export function rgbaPixels(frame: Frame, region: Region = whole(frame)): Uint8Array | Uint8ClampedArray {
  const { x, y, width, height } = region;
  const src = frame.data;
  if (frame.format === 'rgba' && x === 0 && width === frame.width) {
    return src.subarray(y * width * 4, (y + height) * width * 4);
  }
  const out = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row++) {
    const at = (y + row) * frame.width + x;
    if (frame.format === 'rgba') {
      out.set(src.subarray(at * 4, (at + width) * 4), row * width * 4);
      continue;
    }
    for (let col = 0, o = row * width * 4; col < width; col++, o += 4) {
      const v = src[at + col]!;
      out[o] = out[o + 1] = out[o + 2] = v;
      out[o + 3] = 255;
    }
  }
  return out;
}

/** The whole frame as a region. */
export function whole(frame: Pick<Frame, 'width' | 'height'>): Region {
  return { x: 0, y: 0, width: frame.width, height: frame.height };
}
