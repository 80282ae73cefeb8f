/**
 * The cockpit camera's frames as a folder of PNG files, played in name order.
 * Without a folder of your own, the simulator draws one: a street passing by,
 * and the gate's QR code coming closer and sliding out of view.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Frame } from '../src/decoder/frame.ts';
import { decodePng } from '../src/decoder/testing/png.ts';
import { paintQr, sceneFrame } from '../src/decoder/testing/synthetic.ts';

/** The frames of a folder (`*.png`), sorted by name. */
export function readFrames(dir: string): { name: string; frame: Frame }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.png')).sort();
  } catch (error) {
    throw new Error(`cannot read the frames folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (names.length === 0) throw new Error(`no .png frames in ${dir}`);
  return names.map((name) => {
    try {
      return { name, frame: decodePng(readFileSync(join(dir, name))) };
    } catch (error) {
      throw new Error(`frame ${join(dir, name)}: ${(error as Error).message}`);
    }
  });
}

/** Draws a car passing a gate that shows `code`: 6 frames of street, 8 with the code, 4 after. */
export function drawPassingFrames(dir: string, code: string, width = 1280, height = 720): void {
  const frames: Frame[] = [];
  for (let i = 0; i < 18; i++) {
    const frame = sceneFrame(width, height, 'rgba', 100 + i);
    const k = i - 6;
    if (k >= 0 && k < 8) paintQr(frame, code, { x: 300 + k * 70, y: 120 + k * 6, module: 3 + Math.floor(k / 3) });
    frames.push(frame);
  }
  frames.forEach((frame, i) => writeFileSync(join(dir, `frame-${String(i).padStart(3, '0')}.png`), encodePng(frame)));
}

/** An RGBA frame as an 8-bit RGBA PNG (no filtering: these files are for a demo). */
export function encodePng(frame: Frame): Uint8Array {
  if (frame.format !== 'rgba') throw new Error('encodePng takes RGBA frames');
  const stride = frame.width * 4;
  const raw = new Uint8Array((stride + 1) * frame.height);
  for (let y = 0; y < frame.height; y++) raw.set(frame.data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, frame.width);
  view.setUint32(4, frame.height);
  header.set([8, 6, 0, 0, 0], 8);
  return concat([Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]);
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) out.set(part, (at += part.length) - part.length);
  return out;
}
