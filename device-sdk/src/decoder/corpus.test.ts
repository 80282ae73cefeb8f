/**
 * The zxing project's own QR photographs and scans (179 images in 6 sets):
 * the default decoder must read at least as many, set by set, as the zxing
 * Java reference does at 0°, directly and through the frame reader with its
 * finder precheck on. Without the corpus this file fails (it never skips).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DecodedCode } from './decoder.ts';
import { createFrameReader } from './frame-reader.ts';
import { createQrDecoder } from './index.ts';
import { createNodeQrDecoder } from './node.ts';
import { type CorpusImage, JAVA_REFERENCE_AT_0, loadCorpus } from './testing/corpus.ts';

let corpus: CorpusImage[];
beforeAll(() => {
  corpus = loadCorpus(); // throws, naming the path and QR_CORPUS_DIR, when the corpus is missing
});

/** Images whose expected text (exactly) is among the codes read, per set. */
async function score(read: (image: CorpusImage) => Promise<DecodedCode[]>): Promise<{ perSet: Record<string, number>; total: number; missed: string[] }> {
  const perSet: Record<string, number> = Object.fromEntries(Object.keys(JAVA_REFERENCE_AT_0).map((set) => [set, 0]));
  const missed: string[] = [];
  for (const image of corpus) {
    if ((await read(image)).some((code) => code.text === image.expected)) perSet[image.set] = (perSet[image.set] ?? 0) + 1;
    else missed.push(`${image.set}/${image.file}`);
  }
  return { perSet, total: corpus.length - missed.length, missed };
}

function expectAtLeastJava(perSet: Record<string, number>): void {
  for (const [set, reference] of Object.entries(JAVA_REFERENCE_AT_0)) {
    expect.soft(perSet[set], `${set}: zxing Java reads ${reference} at 0°`).toBeGreaterThanOrEqual(reference);
  }
}

describe('zxing QR corpus at 0°', () => {
  it('holds the 179 images of the six sets', () => {
    expect(corpus).toHaveLength(179);
    expect(new Set(corpus.map((image) => image.set))).toEqual(new Set(Object.keys(JAVA_REFERENCE_AT_0)));
  });

  it('the default decoder (zxing-wasm) reads at least as many as zxing Java in every set, 157 in all', async () => {
    const decoder = await createNodeQrDecoder();
    expect(decoder.name).toBe('zxing-wasm');
    const { perSet, total, missed } = await score((image) => decoder.decode(image.frame));
    // Measured here: 166 (20, 32, 42, 38, 19, 15).
    expectAtLeastJava(perSet);
    expect(total, `missed: ${missed.join(' ')}`).toBeGreaterThanOrEqual(157);
  });

  it('the frame reader (finder precheck, regions first) loses none of them', async () => {
    const reader = createFrameReader(await createNodeQrDecoder(), { rememberLastCode: false });
    const stages: Record<string, number> = {};
    const { perSet, total } = await score(async (image) => {
      const { codes, stage } = await reader.read(image.frame);
      stages[stage] = (stages[stage] ?? 0) + 1;
      return codes;
    });
    expectAtLeastJava(perSet);
    expect(total, `stages: ${JSON.stringify(stages)}`).toBeGreaterThanOrEqual(157);
  });

  it('the other decoder (@zxing/library) still reads most of them', async () => {
    const decoder = await createQrDecoder({ library: 'zxing-js' });
    const { perSet, total, missed } = await score((image) => decoder.decode(image.frame));
    // Measured here: 157 (19, 30, 38, 36, 19, 15): two short of zxing Java in qrcode-2, hence not the default.
    // The floor leaves room for a library update yet catches a broken pixel path, which reads next to nothing.
    expect(total, `per set ${JSON.stringify(perSet)}; missed: ${missed.join(' ')}`).toBeGreaterThanOrEqual(150);
  });
});
