/**
 * Reading a stream of camera frames cheaply: most frames of a passing car
 * hold no code, and a code seen in one frame is near the same place in the next.
 */
import { codeShapedRegions } from './code-shapes.ts';
import type { DecodedCode, QrDecoder } from './decoder.ts';
import { findFinderCandidates } from './finder-scan.ts';
import { checkFrame, type Frame, type Region } from './frame.ts';
import { centerHalf, centreOf, clampRegion, containsPoint, covers, growRegion, mergeOverlapping, union } from './regions.ts';

/**
 * What ended a read: 'roi' (found in the region of interest or where the last
 * code was), 'finders' (found around finder patterns elsewhere), 'frame'
 * (the whole frame was decoded; `codes` may be empty), 'empty' (no three
 * finder-like patterns in a code's shape: nothing was decoded).
 */
export type ReadStage = 'roi' | 'finders' | 'frame' | 'empty';

export interface FrameRead {
  codes: DecodedCode[];
  stage: ReadStage;
}

export interface FrameReaderOptions {
  /**
   * Where codes usually are (a kiosk's window in a car camera's view), tried
   * before the rest of the frame; 'center' is the middle half each way
   * (default); null tries no region of interest.
   */
  roi?: Region | 'center' | null;
  /**
   * Look for finder patterns before decoding and skip frames without three in
   * a code's shape (default true). On a 1280×720 frame without a code it took
   * about a third of zxing-wasm's time (a fifth of @zxing/library's), and it
   * kept every corpus image either decoder reads.
   */
  precheck?: boolean;
  /**
   * Try where the last frame's code was before anything else, even the
   * precheck (default true): passing-scan frames are consecutive, and that
   * small box decodes faster than the precheck runs.
   */
  rememberLastCode?: boolean;
}

export interface FrameReader {
  readonly decoder: QrDecoder;
  /** The codes in the frame. Throws a RangeError when the frame's size and data disagree. */
  read(frame: Frame): Promise<FrameRead>;
}

/** Regions of finder triples tried before the whole frame, at most; a busier frame is decoded whole. */
const MAX_FINDER_REGIONS = 3;
/** The last code's box grows by this much of its size on each side: it moves between frames. */
const LAST_CODE_MARGIN = 0.5;

/** Region of interest first, then around finder patterns, then the whole frame; frames without a code's finders stop early. */
export function createFrameReader(decoder: QrDecoder, options: FrameReaderOptions = {}): FrameReader {
  const precheck = options.precheck ?? true;
  const remember = options.rememberLastCode ?? true;
  const roiOption = options.roi === undefined ? 'center' : options.roi;
  let lastCode: Region | undefined;

  async function read(frame: Frame): Promise<FrameRead> {
    checkFrame(frame);
    const tried: Region[] = [];
    const codes: DecodedCode[] = [];
    let stage: ReadStage | undefined;
    const attempt = async (candidate: Region, at: ReadStage) => {
      const region = clampRegion(candidate, frame.width, frame.height);
      if (!region || tried.some((t) => covers(t, region))) return;
      tried.push(region);
      for (const code of await decoder.decode(frame, region)) {
        if (!codes.some((c) => c.text === code.text)) codes.push(code);
        stage ??= at;
      }
    };
    // In a passing scan the code is where it just was: decoding that small box costs less than the precheck.
    if (remember && lastCode) await attempt(lastCode, 'roi');
    if (stage) return done(codes, stage);

    // undefined: no precheck, or too many finder-like spots to judge; decode as if each region may hold a code.
    const shapes = precheck ? codeShapedRegions(findFinderCandidates(frame)) : undefined;
    if (shapes !== undefined && shapes.length === 0) return done([], 'empty');
    const roi = roiOption === 'center' ? centerHalf(frame) : roiOption ?? undefined;
    if (roi && (shapes === undefined || shapes.some((s) => containsPoint(roi, centreOf(s))))) await attempt(roi, 'roi');
    // Code-shaped places no code found so far accounts for: another code (an Alipay and a WeChat Pay code side by
    // side; a code printed inside a code), or the only one when the region of interest missed it. Largest first:
    // a real code's triples merge into one big box, stray triples stay small.
    const accounted = (shape: Region) => codes.some((c) => c.region && containsPoint(growRegion(c.region, 0.25), centreOf(shape)));
    let budget = MAX_FINDER_REGIONS;
    for (const shape of mergeOverlapping(shapes ?? [])) {
      if (budget-- === 0) break;
      if (!accounted(shape)) await attempt(shape, 'finders');
    }
    if (stage) return done(codes, stage);
    // A finder region may already span the frame (a close-up); decoding it again would only repeat the miss.
    const all = { x: 0, y: 0, width: frame.width, height: frame.height };
    return done(tried.some((t) => covers(t, all)) ? [] : await decoder.decode(frame), 'frame');
  }

  function done(codes: DecodedCode[], stage: ReadStage): FrameRead {
    const boxes = codes.flatMap((c) => (c.region ? [c.region] : []));
    lastCode = boxes.length > 0 ? growRegion(boxes.reduce(union), LAST_CODE_MARGIN) : undefined;
    return { codes, stage };
  }

  return { decoder, read };
}
