/**
 * Camera-like frames for tests and the benchmark: a street scene with sensor
 * noise (no code in it), and QR codes painted into frames module by module
 * (the qrcode package gives the modules; no canvas needed).
 */
import QRCode from 'qrcode';
import type { Frame, PixelFormat } from '../frame.ts';

/** Same seed, same frame: tests and benchmark runs stay comparable. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A width×height street scene without a code: sky gradient, buildings with
 * rows of windows, a road with lane marks, and ±`noise` grey levels of sensor
 * noise on every pixel.
 */
export function sceneFrame(width: number, height: number, format: PixelFormat = 'rgba', seed = 1, noise = 8): Frame {
  const rand = random(seed);
  const grey = new Uint8Array(width * height);
  const horizon = Math.round(height * 0.55);
  for (let y = 0; y < height; y++) grey.fill(y < horizon ? 200 - Math.round((y / horizon) * 40) : 90, y * width, (y + 1) * width);
  const fill = (x0: number, y0: number, w: number, h: number, v: number) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++) grey.fill(v, y * width + Math.max(0, x0), y * width + Math.min(width, x0 + w));
  };
  for (let x = 0; x < width; ) {
    const w = Math.round(width * (0.08 + rand() * 0.12));
    const top = Math.round(horizon * (0.2 + rand() * 0.5));
    const wall = 110 + Math.round(rand() * 80);
    fill(x, top, w, horizon - top, wall);
    const win = Math.max(4, Math.round(w / 10));
    for (let wy = top + win; wy + win < horizon; wy += win * 2) for (let wx = x + win; wx + win < x + w; wx += win * 2) fill(wx, wy, win, win, wall - 70);
    x += w + Math.round(rand() * width * 0.05);
  }
  for (let x = 0; x < width; x += Math.round(width / 8)) fill(x, Math.round(height * 0.8), Math.round(width / 16), Math.max(2, Math.round(height / 90)), 230);
  for (let i = 0; i < grey.length; i++) grey[i] = Math.max(0, Math.min(255, grey[i]! + Math.round((rand() * 2 - 1) * noise)));
  return format === 'grey' ? { width, height, data: grey, format } : { width, height, data: greyToRgba(grey), format };
}

/** Where and how big to paint a code. */
export interface Placement {
  /** Left edge of the code's quiet zone, in pixels. */
  x: number;
  /** Top edge of the code's quiet zone, in pixels. */
  y: number;
  /** Pixels a module (default 4). */
  module?: number;
}

/** Paints `text` as a QR code (with its 4-module white quiet zone) into the frame, in place; returns the painted box. */
export function paintQr(frame: Frame, text: string, placement: Placement): { x: number; y: number; width: number; height: number } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const m = placement.module ?? 4;
  const side = (modules.size + 8) * m;
  const channels = frame.format === 'rgba' ? 4 : 1;
  for (let py = 0; py < side; py++) {
    for (let px = 0; px < side; px++) {
      const x = placement.x + px, y = placement.y + py;
      if (x < 0 || y < 0 || x >= frame.width || y >= frame.height) continue;
      const row = Math.floor(py / m) - 4, col = Math.floor(px / m) - 4;
      const dark = row >= 0 && col >= 0 && row < modules.size && col < modules.size && modules.get(row, col) === 1;
      const o = (y * frame.width + x) * channels;
      frame.data.fill(dark ? 20 : 235, o, o + Math.min(3, channels));
      if (channels === 4) frame.data[o + 3] = 255;
    }
  }
  return { x: placement.x, y: placement.y, width: side, height: side };
}

function greyToRgba(grey: Uint8Array): Uint8Array {
  const out = new Uint8Array(grey.length * 4);
  for (let i = 0, o = 0; i < grey.length; i++, o += 4) out[o] = out[o + 1] = out[o + 2] = grey[i]!, out[o + 3] = 255;
  return out;
}
