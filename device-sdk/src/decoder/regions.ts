/** Rectangle arithmetic for the frame reader, in frame pixels. */
import type { Frame, Region } from './frame.ts';

/** The part of `region` inside a width×height frame, in whole pixels; undefined when nothing is left. */
export function clampRegion(region: Region, width: number, height: number): Region | undefined {
  const x0 = Math.max(0, Math.floor(region.x));
  const y0 = Math.max(0, Math.floor(region.y));
  const x1 = Math.min(width, Math.ceil(region.x + region.width));
  const y1 = Math.min(height, Math.ceil(region.y + region.height));
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined;
}

/** `region` grown by `margin` times its size on every side. */
export function growRegion(region: Region, margin: number): Region {
  const dx = region.width * margin;
  const dy = region.height * margin;
  return { x: region.x - dx, y: region.y - dy, width: region.width + 2 * dx, height: region.height + 2 * dy };
}

/** The middle half of the frame each way: where a code ends up when someone aims a camera at it. */
export function centerHalf(frame: Pick<Frame, 'width' | 'height'>): Region {
  return { x: frame.width / 4, y: frame.height / 4, width: frame.width / 2, height: frame.height / 2 };
}

export function centreOf(r: Region): { x: number; y: number } {
  return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
}

export function containsPoint(r: Region, p: { x: number; y: number }): boolean {
  return p.x >= r.x && p.y >= r.y && p.x < r.x + r.width && p.y < r.y + r.height;
}

export function covers(outer: Region, inner: Region): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

export function union(a: Region, b: Region): Region {
  const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

function overlap(a: Region, b: Region): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Overlapping regions joined into their bounding boxes, largest first. */
export function mergeOverlapping(regions: Region[]): Region[] {
  const merged = [...regions];
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < merged.length && !changed; i++) {
      for (let j = i + 1; j < merged.length && !changed; j++) {
        if (!overlap(merged[i]!, merged[j]!)) continue;
        merged[i] = union(merged[i]!, merged[j]!);
        merged.splice(j, 1);
        changed = true;
      }
    }
  }
  return merged.sort((a, b) => b.width * b.height - a.width * a.height);
}
