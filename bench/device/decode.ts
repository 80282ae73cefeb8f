/**
 * QR decoding rows for the device suite: zxing-wasm (the SDK's default) and
 * @zxing/library side by side in one run, on 1280×720 RGBA street frames
 * (device-sdk/src/decoder/testing/synthetic.ts) and on zxing's own QR
 * photographs (../shared/corpora/zxing-qrcode, or QR_CORPUS_DIR).
 *
 * Rows, per library (p50 and p99 over frames × rounds, libraries alternating
 * frame by frame so machine noise hits both alike):
 * - whole frame with a code; whole frame without one (the decoder alone).
 * - region of interest (the centre half, 640×360, holding the code) and the
 *   code's own box plus a quarter each side, each with the whole frame as floor.
 * - frame reader (finder precheck, regions first) on frames without a code, with
 *   the decoder's own empty-frame time as floor; and on frames with a code, first
 *   sighting (fresh reader) and following frames (the code a few pixels on).
 * - corpus images decoded: count (floor: zxing Java's 157 at 0°) and share of
 *   all; mean decode time an image.
 * And the finder precheck alone, which is the same for both libraries.
 */
import { findFinderCandidates } from '../../device-sdk/src/decoder/finder-scan.ts';
import { codeShapedRegions } from '../../device-sdk/src/decoder/code-shapes.ts';
import { createFrameReader, type Frame, type FrameReader, type QrDecoder, type Region } from '../../device-sdk/src/decoder/index.ts';
import { createNodeQrDecoder } from '../../device-sdk/src/decoder/node.ts';
import { JAVA_REFERENCE_AT_0, loadCorpus } from '../../device-sdk/src/decoder/testing/corpus.ts';
import { paintQr, sceneFrame } from '../../device-sdk/src/decoder/testing/synthetic.ts';
import { percentile, type Row, row } from '../lib/stats.ts';
import type { SuiteContext } from '../lib/suite.ts';

const WIDTH = 1280;
const HEIGHT = 720;
const CENTRE: Region = { x: WIDTH / 4, y: HEIGHT / 4, width: WIDTH / 2, height: HEIGHT / 2 };
/** Payment codes as a camera meets them: an EMVCo merchant code and the two big wallets' URL codes. */
const TEXTS = [
  '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING6304A13A',
  'https://qr.alipay.com/fkx12345abcde',
  'wxp://f2f0aBcDeFgHiJkLmN_0123',
];

interface Scene {
  withCode: Frame;
  /** The same code a few pixels on, as in the next frame of a passing scan. */
  next: Frame;
  box: Region;
  text: string;
  empty: Frame;
}

/** `count` frame pairs: a code of 3 to 5 pixels a module somewhere in the centre half, and a scene without one. */
function scenes(count: number): Scene[] {
  return Array.from({ length: count }, (_, i) => {
    const text = TEXTS[i % TEXTS.length]!;
    const module = 3 + (i % 3);
    const at = { x: CENTRE.x + ((i * 97) % 200), y: CENTRE.y + ((i * 53) % 60), module };
    const withCode = sceneFrame(WIDTH, HEIGHT, 'rgba', 100 + i);
    const box = paintQr(withCode, text, at);
    const next = sceneFrame(WIDTH, HEIGHT, 'rgba', 100 + i);
    paintQr(next, text, { ...at, x: at.x + 6, y: at.y + 3 });
    return { withCode, next, box, text, empty: sceneFrame(WIDTH, HEIGHT, 'rgba', 500 + i) };
  });
}

function grow(r: Region, margin: number): Region {
  return { x: r.x - r.width * margin, y: r.y - r.height * margin, width: r.width * (1 + 2 * margin), height: r.height * (1 + 2 * margin) };
}

/**
 * Measured cases of one frame, in order; each returns the texts it read so a
 * wrong answer cannot pass for a fast one. `follower` has just read the frame
 * before `s.next`.
 */
function cases(decoder: QrDecoder, s: Scene, follower: FrameReader): Array<[string, () => Promise<string[]>, boolean]> {
  const texts = async (p: Promise<{ text: string }[]>) => (await p).map((c) => c.text);
  return [
    ['whole frame with a code', () => texts(decoder.decode(s.withCode)), true],
    ['whole frame without a code', () => texts(decoder.decode(s.empty)), false],
    ['centre-half ROI (640×360) with the code', () => texts(decoder.decode(s.withCode, CENTRE)), true],
    ['code box + 25% with the code', () => texts(decoder.decode(s.withCode, grow(s.box, 0.25))), true],
    ['frame reader, frame without a code', async () => (await createFrameReader(decoder).read(s.empty)).codes.map((c) => c.text), false],
    ['frame reader, first sighting of a code', async () => (await createFrameReader(decoder).read(s.withCode)).codes.map((c) => c.text), true],
    ['frame reader, next frame of a passing scan', async () => (await follower.read(s.next)).codes.map((c) => c.text), true],
  ];
}

export async function decodeRows(ctx: SuiteContext): Promise<Row[]> {
  const quick = ctx.config.quick;
  const decoders = [await createNodeQrDecoder(), await createNodeQrDecoder({ library: 'zxing-js' })];
  const frames = scenes(quick ? 3 : 12);
  const rounds = quick ? 1 : ctx.config.rounds;
  const samples = new Map<string, number[]>();
  const add = (key: string, ms: number) => {
    if (!samples.has(key)) samples.set(key, []);
    samples.get(key)!.push(ms);
  };

  ctx.log(`QR decode: ${frames.length} frames × ${rounds} rounds, ${decoders.map((d) => d.name).join(' and ')} alternating`);
  for (let round = 0; round <= rounds; round++) {
    // Round 0 warms up (JIT, wasm tiers) and checks every case reads what it should.
    for (const s of frames) {
      for (const decoder of round % 2 ? [...decoders].reverse() : decoders) {
        const follower = createFrameReader(decoder);
        await follower.read(s.withCode);
        for (const [name, run, hasCode] of cases(decoder, s, follower)) {
          const t0 = performance.now();
          const texts = await run();
          const ms = performance.now() - t0;
          if (round === 0) {
            const want = hasCode ? [s.text] : [];
            if (JSON.stringify(texts) !== JSON.stringify(want)) throw new Error(`${decoder.name}, ${name}: read ${JSON.stringify(texts)}, expected ${JSON.stringify(want)}`);
          } else add(`${decoder.name}: ${name}`, ms);
        }
      }
      if (round > 0) {
        const t0 = performance.now();
        codeShapedRegions(findFinderCandidates(s.empty));
        add('finder precheck, frame without a code', performance.now() - t0);
      }
    }
  }

  const p = (key: string, q: number) => percentile(samples.get(key)!, q);
  const rows: Row[] = [row('finder precheck, 1280×720 frame without a code, p50', 'ms', p('finder precheck, frame without a code', 50))];
  rows.push(row('finder precheck, 1280×720 frame without a code, p99', 'ms', p('finder precheck, frame without a code', 99)));
  for (const { name } of decoders) {
    const k = (what: string) => `${name}: ${what}`;
    for (const q of [50, 99]) {
      rows.push(row(`${k('whole 1280×720 frame with a code')}, p${q}`, 'ms', p(k('whole frame with a code'), q)));
      rows.push(row(`${k('whole 1280×720 frame without a code')}, p${q}`, 'ms', p(k('whole frame without a code'), q)));
      rows.push(row(`${k('centre-half ROI (640×360) vs whole frame')}, p${q}`, 'ms', p(k('centre-half ROI (640×360) with the code'), q), p(k('whole frame with a code'), q)));
      rows.push(row(`${k('code box + 25% vs whole frame')}, p${q}`, 'ms', p(k('code box + 25% with the code'), q), p(k('whole frame with a code'), q)));
      rows.push(row(`${k('frame reader, frame without a code vs decoder alone')}, p${q}`, 'ms', p(k('frame reader, frame without a code'), q), p(k('whole frame without a code'), q)));
      rows.push(row(`${k('frame reader, first sighting of a code')}, p${q}`, 'ms', p(k('frame reader, first sighting of a code'), q)));
      rows.push(row(`${k('frame reader, next frame of a passing scan')}, p${q}`, 'ms', p(k('frame reader, next frame of a passing scan'), q)));
    }
  }
  rows.push(...(await corpusRows(ctx, decoders)));
  return rows;
}

/** Every corpus image decoded whole by each library: how many read their exact expected text, and how fast. */
async function corpusRows(ctx: SuiteContext, decoders: QrDecoder[]): Promise<Row[]> {
  const corpus = loadCorpus();
  const reference = Object.values(JAVA_REFERENCE_AT_0).reduce((a, b) => a + b, 0);
  ctx.log(`QR corpus: ${corpus.length} images, each library`);
  const rows: Row[] = [];
  for (const decoder of decoders) {
    const perSet: Record<string, number> = {};
    let read = 0;
    const t0 = performance.now();
    for (const image of corpus) {
      if ((await decoder.decode(image.frame)).some((c) => c.text === image.expected)) {
        read++;
        perSet[image.set] = (perSet[image.set] ?? 0) + 1;
      }
    }
    const msEach = (performance.now() - t0) / corpus.length;
    ctx.note(`${decoder.name}: ${read} of ${corpus.length} corpus images (${Object.entries(perSet).map(([s, n]) => `${s} ${n}/${JAVA_REFERENCE_AT_0[s]}`).join(', ')}; after each set: zxing Java's count at 0°)`);
    rows.push(row(`${decoder.name}: corpus images decoded vs zxing Java at 0°`, 'images', read, reference));
    rows.push(row(`${decoder.name}: corpus share decoded`, 'fraction', read / corpus.length));
    rows.push(row(`${decoder.name}: corpus decode time an image, mean`, 'ms', msEach));
  }
  return rows;
}
