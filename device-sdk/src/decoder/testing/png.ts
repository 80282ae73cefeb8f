/**
 * Just enough PNG for the test corpus and the benchmark (Node only): 8-bit
 * grey, RGB, RGBA and 1/2/4/8-bit palette images, not interlaced. The zxing
 * images are all of these; a dependency for them alone is not worth it.
 */
import { inflateSync } from 'node:zlib';
import type { Frame } from '../frame.ts';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Samples a pixel per PNG colour type: grey, -, RGB, palette, grey+alpha, -, RGBA. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * The PNG's pixels as an opaque RGBA frame: transparency is composited over
 * white, as zxing's Java tests read such images (a camera never sees alpha).
 */
export function decodePng(bytes: Uint8Array): Frame {
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0, height = 0, depth = 0, colourType = 0, interlace = 0;
  let palette: Uint8Array | undefined;
  let paletteAlpha: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      [depth, colourType, , , interlace] = [body[8]!, body[9]!, body[10], body[11], body[12]!];
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS' && colourType === 3) paletteAlpha = body; // grey/RGB colour keys: none in the corpus
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  const channels = CHANNELS[colourType];
  if (channels === undefined || interlace !== 0 || (depth !== 8 && colourType !== 3)) {
    throw new Error(`unsupported PNG: colour type ${colourType}, depth ${depth}, interlace ${interlace}`);
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = Math.ceil((width * channels * depth) / 8);
  const lines = unfilter(raw, stride, height, Math.max(1, (channels * depth) / 8));
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const line = lines.subarray(y * stride, (y + 1) * stride);
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (colourType === 3) {
        const index = (line[(x * depth) >> 3]! >> (8 - depth - ((x * depth) & 7))) & ((1 << depth) - 1);
        data.set(palette!.subarray(index * 3, index * 3 + 3), o);
        data[o + 3] = paletteAlpha?.[index] ?? 255;
      } else if (channels <= 2) {
        data.fill(line[x * channels]!, o, o + 3);
        data[o + 3] = channels === 2 ? line[x * 2 + 1]! : 255;
      } else {
        data.set(line.subarray(x * channels, x * channels + 3), o);
        data[o + 3] = channels === 4 ? line[x * 4 + 3]! : 255;
      }
    }
  }
  for (let o = 0; o < data.length; o += 4) {
    const alpha = data[o + 3]!;
    if (alpha === 255) continue;
    for (let c = 0; c < 3; c++) data[o + c] = (data[o + c]! * alpha + 255 * (255 - alpha) + 127) / 255;
    data[o + 3] = 255;
  }
  return { width, height, data, format: 'rgba' };
}

/** Undoes PNG's per-line filters (none, sub, up, average, Paeth) in place of a fresh buffer. */
function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const o = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[o + i - bpp]! : 0;
      const b = y > 0 ? out[o + i - stride]! : 0;
      const c = i >= bpp && y > 0 ? out[o + i - stride - bpp]! : 0;
      let predicted = 0;
      if (filter === 1) predicted = a;
      else if (filter === 2) predicted = b;
      else if (filter === 3) predicted = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[o + i] = (src[i]! + predicted) & 0xff;
    }
  }
  return out;
}
