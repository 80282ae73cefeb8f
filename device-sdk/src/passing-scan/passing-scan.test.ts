import { describe, expect, it } from 'vitest';
import { PassingScan, type ScanDecision } from './passing-scan.ts';

const A = 'agentpay://pay?jws=gate-a';
const B = 'agentpay://pay?jws=gate-b';

/** Feeds frames (each a list of texts, '' for none) and returns the non-trivial decisions with their frame index. */
function run(frames: string[][], options = {}, clock = { t: 0 }): [number, ScanDecision][] {
  const scan = new PassingScan({ now: () => clock.t, ...options });
  const out: [number, ScanDecision][] = [];
  frames.forEach((texts, i) => {
    clock.t += 33;
    const d = scan.see(texts);
    if (d.action !== 'none') out.push([i, d]);
  });
  return out;
}

describe('PassingScan', () => {
  it.each<[string, string[][], [number, ScanDecision][]]>([
    ['no code, no payment', [[], [], []], []],
    ['one frame is not enough', [[], [A], [], [], [], []], []],
    ['two consecutive reads pay once; later frames are the same gate', [[A], [A], [A], [], [A]], [[1, { action: 'pay', text: A }], [2, { action: 'seen', text: A }], [4, { action: 'seen', text: A }]]],
    ['a blurred frame between two reads still pays', [[A], [], [A]], [[2, { action: 'pay', text: A }]]],
    ['too long a gap starts over', [[A], [], [], [], [], [A]], []],
    ['a misread in between pays neither it nor early', [[A], [B], [A], [A]], [[2, { action: 'pay', text: A }], [3, { action: 'seen', text: A }]]],
    ['two codes in a frame, in any order, each pay once, one a frame', [[A, B], [B, A], [A, B], [B, A]], [[1, { action: 'pay', text: B }], [2, { action: 'pay', text: A }], [3, { action: 'seen', text: B }]]],
    ['a code already paid does not hide a new one beside it', [[A], [A], [A, B], [B, A]], [[1, { action: 'pay', text: A }], [2, { action: 'seen', text: A }], [3, { action: 'pay', text: B }]]],
    ['the same code with stray whitespace is one code', [[A], [` ${A}\n`]], [[1, { action: 'pay', text: A }]]],
    ['two gates in a row pay each once', [[A], [A], [], [B], [B], [B]], [[1, { action: 'pay', text: A }], [4, { action: 'pay', text: B }], [5, { action: 'seen', text: B }]]],
  ])('%s', (_name, frames, expected) => {
    expect(run(frames)).toEqual(expected);
  });

  it('takes a stricter consistency when asked', () => {
    expect(run([[A], [A], [A]], { confirmFrames: 3 })).toEqual([[2, { action: 'pay', text: A }]]);
  });

  it('pays the same gate again on a later visit, after rememberMs', () => {
    const clock = { t: 0 };
    const scan = new PassingScan({ now: () => clock.t, rememberMs: 1000 });
    expect([scan.see([A]), scan.see([A])].map((d) => d.action)).toEqual(['none', 'pay']);
    clock.t += 500;
    expect(scan.see([A]).action).toBe('seen');
    clock.t += 2000;
    expect([scan.see([A]), scan.see([A])].map((d) => d.action)).toEqual(['none', 'pay']);
  });

  it('lets a code whose payment never started be paid on the next pass', () => {
    const scan = new PassingScan();
    scan.see([A]);
    expect(scan.see([A]).action).toBe('pay');
    scan.forget(A);
    scan.see([A]);
    expect(scan.see([A]).action).toBe('pay');
  });
});
