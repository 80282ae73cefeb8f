/**
 * The cheap look before decoding: most frames of a passing car hold no code,
 * and a decoder spends most of a frame's time proving that. Every QR code has
 * three finder patterns, squares whose every cross-section runs dark, light,
 * dark, light, dark in the ratio 1:1:3:1:1. Scanning rows for that run,
 * confirmed down the column, costs a fraction of a decode.
 */
import type { Frame } from './frame.ts';

/** A finder-pattern-like spot: its centre and module size in frame pixels. */
export interface FinderCandidate {
  x: number;
  y: number;
  module: number;
}

/**
 * Rows scanned at most (every 3rd row of a 720p frame, every 4th from 1080p):
 * a 2-pixel-module finder's 6-pixel centre stays in reach. At 180 (every 3rd
 * row of a 480-row image) the corpus lost 2 images.
 */
const MAX_ROWS = 240;
/**
 * Grey levels a pixel must stray from its neighbourhood's mean to flip
 * dark/light: sensor noise on flat areas stays put. At 20 the corpus lost 4 images.
 */
const CONTRAST = 12;
/**
 * How far a run may be from its ideal length, in modules: zxing's finder
 * allows 0.5 and 0.75 on its diagonal check. At 0.5 this scan missed 5 of the
 * 166 corpus images zxing-wasm decodes; at 0.75 none.
 */
const SLACK = 0.75;
/**
 * The centre run at least this many times the longest other run. 0.75 of
 * slack alone lets 1:1:1:1:1 through (a grid of windows, a fence); the corpus
 * keeps all its images at 1.5 and loses 3 at 1.8.
 */
const CENTRE_RATIO = 1.5;

/** Finder-pattern-like spots in the frame: false ones among them, but no readable code without three. */
export function findFinderCandidates(frame: Frame): FinderCandidate[] {
  const { width, height } = frame;
  const step = Math.max(1, Math.min(4, Math.round(height / MAX_ROWS)));
  // A fixed-length window (slid inside the row at its ends) keeps the threshold test in integers.
  const window = Math.min(width, Math.max(16, Math.min(128, width >> 3)));
  const half = window >> 1;
  const row = new Int32Array(width);
  const sums = new Int32Array(width + 1);
  const runs = new Int32Array(width + 1);
  const found: FinderCandidate[] = [];
  for (let y = step >> 1; y < height; y += step) {
    readRow(frame, y, row, sums);
    // Run lengths alternating light, dark, light, ... (a row starting dark has an empty first run).
    let count = 0, dark = false, start = 0;
    for (let x = 0; x < width; x++) {
      const lo = x < half ? 0 : x - half > width - window ? width - window : x - half;
      const sum = sums[lo + window]! - sums[lo]!;
      const scaled = row[x]! * window;
      if (dark ? scaled > sum + CONTRAST * window : scaled < sum - CONTRAST * window) {
        runs[count++] = x - start;
        dark = !dark;
        start = x;
      }
    }
    runs[count++] = width - start;
    for (let i = 1, at = runs[0]!; i + 4 < count; at += runs[i]! + runs[i + 1]!, i += 2) {
      if (!looksLikeFinder(runs[i]!, runs[i + 1]!, runs[i + 2]!, runs[i + 3]!, runs[i + 4]!)) continue;
      const across = runs[i]! + runs[i + 1]! + runs[i + 2]! + runs[i + 3]! + runs[i + 4]!;
      const centre = at + runs[i]! + runs[i + 1]!;
      const cx = centre + (runs[i + 2]! >> 1);
      // Halfway between the pattern's dark centre and its light ring: the column check's own threshold.
      const threshold = (row[cx]! + row[centre - 1]!) / 2;
      const candidate = crossCheckColumn(frame, cx, y, threshold, across);
      if (candidate && !found.some((c) => Math.abs(c.x - candidate.x) < across / 2 && Math.abs(c.y - candidate.y) < across / 2)) found.push(candidate);
    }
  }
  return found;
}

function looksLikeFinder(a: number, b: number, c: number, d: number, e: number): boolean {
  const total = a + b + c + d + e;
  if (total < 7) return false;
  const module = total / 7;
  const slack = module * SLACK;
  return (
    Math.abs(a - module) < slack && Math.abs(b - module) < slack && Math.abs(c - 3 * module) < slack * 3 && Math.abs(d - module) < slack && Math.abs(e - module) < slack &&
    c >= CENTRE_RATIO * Math.max(a, b, d, e)
  );
}

/** The same pattern down column x through (x, y), about as tall as it was wide: a stripe or a line of text fails here. */
function crossCheckColumn(frame: Frame, x: number, y: number, threshold: number, across: number): FinderCandidate | undefined {
  const limit = across * 2;
  const walk = (dir: 1 | -1): [number, number, number] | undefined => {
    const runs: [number, number, number] = [0, 0, 0];
    let part = 0;
    for (let yy = y, n = 0; n < limit; yy += dir, n++) {
      if (yy < 0 || yy >= frame.height) return part === 2 ? runs : undefined;
      if (brightnessAt(frame, x, yy) < threshold !== (part !== 1) && ++part === 3) return runs;
      runs[part]!++;
    }
    return undefined;
  };
  const up = walk(-1), down = walk(1);
  if (!up || !down || up[0] === 0) return undefined;
  const [a, b, c, d, e] = [up[2], up[1], up[0] + down[0] - 1, down[1], down[2]];
  const total = a + b + c + d + e;
  if (total < across / 2 || total > across * 2 || !looksLikeFinder(a, b, c, d, e)) return undefined;
  return { x, y: y - up[0] + 1 + (c >> 1), module: (total + across) / 14 };
}

/**
 * Row y's brightness and its running sums. Green alone stands in for luminance
 * on RGBA (it carries most of it): a third of the reads, and the corpus lost
 * no image to it.
 */
function readRow(frame: Frame, y: number, out: Int32Array, sums: Int32Array): void {
  const { width, data } = frame;
  const stride = frame.format === 'grey' ? 1 : 4;
  let sum = 0;
  for (let x = 0, i = y * width * stride + (stride === 4 ? 1 : 0); x < width; x++, i += stride) {
    const v = data[i]!;
    out[x] = v;
    sum += v;
    sums[x + 1] = sum;
  }
}

function brightnessAt(frame: Frame, x: number, y: number): number {
  const i = y * frame.width + x;
  return frame.format === 'grey' ? frame.data[i]! : frame.data[i * 4 + 1]!;
}
