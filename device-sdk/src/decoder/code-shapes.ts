/**
 * From finder-like spots to places a code may be: a QR code's three finder
 * patterns sit at the corners of a right isosceles triangle, the same size,
 * at least 14 modules apart. Window grids and textures give spots; they
 * rarely give that triangle. The tolerances are wide because photos of codes
 * are tilted and foreshortened (the zxing corpus decides how wide; see the tests).
 */
import type { FinderCandidate } from './finder-scan.ts';
import type { Region } from './frame.ts';

/** Past this many spots the frame is too busy to sort through cheaply: treat it as possibly holding a code. */
const MAX_CANDIDATES = 40;
/** Module sizes of the three patterns agree within this ratio. */
const MODULE_RATIO = 2;
/** The two legs from the corner pattern agree within this ratio. */
const LEG_RATIO = 1.6;
/** |cos| of the corner's angle at most this (90° ± about 40°). */
const MAX_COS = 0.65;
/** Finder centres are 14 (version 1) to 170 (version 40) modules apart; a little slack each way. */
const MIN_LEG_MODULES = 10;
const MAX_LEG_MODULES = 200;

/**
 * Boxes around each finder triple that could be a code (in frame pixels,
 * including the patterns' outer halves), or undefined when there are too many
 * spots to say (decode the whole frame then).
 */
export function codeShapedRegions(spots: FinderCandidate[]): Region[] | undefined {
  if (spots.length > MAX_CANDIDATES) return undefined;
  const regions: Region[] = [];
  for (let i = 0; i < spots.length; i++) {
    for (let j = i + 1; j < spots.length; j++) {
      for (let k = j + 1; k < spots.length; k++) {
        const triple = [spots[i]!, spots[j]!, spots[k]!] as const;
        if (isCodeShaped(triple)) regions.push(boxAround(triple));
      }
    }
  }
  return regions;
}

function isCodeShaped(t: readonly [FinderCandidate, FinderCandidate, FinderCandidate]): boolean {
  const modules = t.map((s) => s.module);
  const module = (modules[0]! + modules[1]! + modules[2]!) / 3;
  if (Math.max(...modules) > MODULE_RATIO * Math.min(...modules)) return false;
  // Try each spot as the corner (top-left) pattern.
  for (let c = 0; c < 3; c++) {
    const corner = t[c]!, p = t[(c + 1) % 3]!, q = t[(c + 2) % 3]!;
    const ux = p.x - corner.x, uy = p.y - corner.y, vx = q.x - corner.x, vy = q.y - corner.y;
    const u = Math.hypot(ux, uy), v = Math.hypot(vx, vy);
    if (Math.min(u, v) < MIN_LEG_MODULES * module || Math.max(u, v) > MAX_LEG_MODULES * module) continue;
    if (Math.max(u, v) > LEG_RATIO * Math.min(u, v)) continue;
    if (Math.abs(ux * vx + uy * vy) / (u * v) <= MAX_COS) return true;
  }
  return false;
}

/** The bounding box of the three centres and the fourth corner they imply, plus 4 modules of pattern half and quiet zone. */
function boxAround(t: readonly [FinderCandidate, FinderCandidate, FinderCandidate]): Region {
  const xs = t.map((s) => s.x), ys = t.map((s) => s.y);
  // Whichever spot is the corner, the parallelogram's fourth point is one of these; include all three: cheap and safe.
  for (let c = 0; c < 3; c++) {
    xs.push(t[(c + 1) % 3]!.x + t[(c + 2) % 3]!.x - t[c]!.x);
    ys.push(t[(c + 1) % 3]!.y + t[(c + 2) % 3]!.y - t[c]!.y);
  }
  const pad = 8 * Math.max(...t.map((s) => s.module));
  const x0 = Math.min(...xs) - pad, y0 = Math.min(...ys) - pad;
  return { x: x0, y: y0, width: Math.max(...xs) + pad - x0, height: Math.max(...ys) + pad - y0 };
}
