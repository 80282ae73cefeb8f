/**
 * The zxing project's QR black-box images (Node only; tests and benchmark).
 * They live outside the repository, in ../shared/corpora/zxing-qrcode from
 * the repository root, or wherever QR_CORPUS_DIR points.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame } from '../frame.ts';
import { decodePng } from './png.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Images the zxing Java reference decodes at 0° in each set (QRCodeBlackBoxNTestCase.java, copied in the corpus README). */
export const JAVA_REFERENCE_AT_0: Readonly<Record<string, number>> = {
  'qrcode-1': 17,
  'qrcode-2': 32,
  'qrcode-3': 38,
  'qrcode-4': 36,
  'qrcode-5': 19,
  'qrcode-6': 15,
};

export interface CorpusImage {
  /** The set's folder, e.g. qrcode-3. */
  set: string;
  /** The image's file name, e.g. 12.png. */
  file: string;
  frame: Frame;
  /** The exact text the code holds (N.txt, read as UTF-8, nothing trimmed: zxing's tests compare it exactly). */
  expected: string;
}

/** The corpus folder, or an error naming the path looked at and how to point elsewhere. */
export function corpusDir(): string {
  const dir = process.env.QR_CORPUS_DIR ? resolve(process.env.QR_CORPUS_DIR) : resolve(REPO_ROOT, '../shared/corpora/zxing-qrcode');
  if (!existsSync(join(dir, 'qrcode-1'))) {
    throw new Error(
      `QR test corpus not found at ${dir} (${process.env.QR_CORPUS_DIR ? 'QR_CORPUS_DIR' : '../shared/corpora/zxing-qrcode from the repository root'}; ` +
        "expected qrcode-1 … qrcode-6, zxing's blackbox QR images): set QR_CORPUS_DIR to the folder holding them",
    );
  }
  return dir;
}

/** Every image of every set with its expected text, sets and images in numeric order. */
export function loadCorpus(dir: string = corpusDir()): CorpusImage[] {
  const byNumber = (a: string, b: string) => parseInt(a.replace(/\D+/g, ''), 10) - parseInt(b.replace(/\D+/g, ''), 10);
  const sets = readdirSync(dir).filter((name) => /^qrcode-\d+$/.test(name)).sort(byNumber);
  return sets.flatMap((set) =>
    readdirSync(join(dir, set))
      .filter((file) => file.endsWith('.png'))
      .sort(byNumber)
      .map((file) => ({
        set,
        file,
        frame: decodePng(readFileSync(join(dir, set, file))),
        expected: readFileSync(join(dir, set, file.replace(/\.png$/, '.txt')), 'utf8'),
      })),
  );
}
