import { describe, expect, it } from 'vitest';
import { RetryLater } from '../http/retry-later.ts';
import { type NewCodeReason, PairingGate, type PairingLimits } from './pairing.ts';

const LIMITS: PairingLimits = { perSource: 3, global: 5, windowMs: 60_000, rotateAfter: 4 };
const TTL = 15 * 60_000;

/** One step: at `t` ms, `source` presents `code` ('$current' for the code in force then). */
interface Step {
  t: number;
  source?: string;
  code: string;
  /** 'paired', 'wrong' (403), or 'retry N' (429, Retry-After N s); 'paired, released' lets the pairing fail. */
  expect: string;
}

interface Case {
  name: string;
  fixed?: boolean;
  steps: Step[];
  /** New codes announced, in order. */
  newCodes?: NewCodeReason[];
}

const W = 'WRONGCODE';
const CASES: Case[] = [
  { name: 'the right code pairs', steps: [{ t: 0, code: '$current', expect: 'paired' }], newCodes: ['used'] },
  {
    name: 'a code the relay made pairs one wallet, then is replaced',
    steps: [
      { t: 0, code: 'CODE1', expect: 'paired' },
      { t: 1000, code: 'CODE1', expect: 'wrong: already used' },
      { t: 2000, code: 'CODE2', expect: 'paired' },
    ],
    newCodes: ['used', 'used'],
  },
  {
    name: 'a pairing that fails leaves the code usable',
    steps: [
      { t: 0, code: 'CODE1', expect: 'paired, released' },
      { t: 1000, code: 'CODE1', expect: 'paired' },
    ],
    newCodes: ['used'],
  },
  {
    name: 'a configured code is kept after pairing and never expires',
    fixed: true,
    steps: [
      { t: 0, code: 'FIXED-CODE', expect: 'paired' },
      { t: 1000, code: 'FIXED-CODE', expect: 'paired' },
      { t: 10 * TTL, code: 'FIXED-CODE', expect: 'paired' },
    ],
    newCodes: [],
  },
  {
    name: 'a code expires after its time and the next one works',
    steps: [
      { t: TTL, code: 'CODE1', expect: 'wrong: expired' },
      { t: TTL + 1, code: 'CODE2', expect: 'paired' },
    ],
    newCodes: ['expired', 'used'],
  },
  {
    name: 'a code still works just before it expires',
    steps: [{ t: TTL - 1, code: 'CODE1', expect: 'paired' }],
    newCodes: ['used'],
  },
  {
    name: 'one address is locked out after its wrong codes, even with the right code, until the window frees',
    steps: [
      { t: 0, code: W, expect: 'wrong' },
      { t: 10_000, code: W, expect: 'wrong' },
      { t: 20_000, code: W, expect: 'wrong' },
      { t: 21_000, code: '$current', expect: 'retry 39' },
      { t: 59_999, code: '$current', expect: 'retry 1' },
      { t: 60_000, code: '$current', expect: 'paired' },
    ],
  },
  {
    name: 'a locked-out address does not lock out another below the global limit',
    steps: [
      { t: 0, source: 'a', code: W, expect: 'wrong' },
      { t: 0, source: 'a', code: W, expect: 'wrong' },
      { t: 0, source: 'a', code: W, expect: 'wrong' },
      { t: 1, source: 'a', code: '$current', expect: 'retry 60' },
      { t: 1, source: 'b', code: '$current', expect: 'paired' },
    ],
  },
  {
    name: 'wrong codes from many addresses lock out the whole relay',
    fixed: true,
    steps: [
      ...['a', 'b', 'c', 'd', 'e'].map((source, i) => ({ t: i * 1000, source, code: W, expect: 'wrong' })),
      { t: 5000, source: 'f', code: 'FIXED-CODE', expect: 'retry 55' },
      { t: 60_000, source: 'f', code: 'FIXED-CODE', expect: 'paired' },
    ],
  },
  {
    name: 'a code the relay made is replaced after too many wrong guesses',
    steps: [
      ...['a', 'b', 'c', 'd'].map((source) => ({ t: 0, source, code: W, expect: 'wrong' })),
      { t: 1, source: 'e', code: 'CODE1', expect: 'wrong: too many wrong guesses' },
      { t: 2, source: 'f', code: 'CODE2', expect: 'retry 60' },
      { t: 60_002, source: 'f', code: 'CODE2', expect: 'paired' },
    ],
    newCodes: ['guessed', 'used'],
  },
  {
    name: 'a configured code is never replaced, however often it is guessed at',
    fixed: true,
    steps: [
      ...['a', 'b', 'c', 'd'].map((source) => ({ t: 0, source, code: W, expect: 'wrong' })),
      { t: 1, source: 'e', code: 'FIXED-CODE', expect: 'paired' },
    ],
    newCodes: [],
  },
];

describe('the pairing code and its guard', () => {
  it.each(CASES)('$name', ({ fixed, steps, newCodes }) => {
    let now = 0;
    let made = 0;
    const gate = new PairingGate({
      ...(fixed ? { fixedCode: 'FIXED-CODE' } : {}),
      ttlMs: TTL,
      now: () => new Date(now),
      limits: LIMITS,
      newCode: () => `CODE${++made}`,
    });
    const announced: NewCodeReason[] = [];
    gate.onNewCode((_code, reason) => announced.push(reason));

    for (const [i, step] of steps.entries()) {
      now = step.t;
      const code = step.code === '$current' ? gate.code : step.code;
      const label = `step ${i}: ${step.code} at ${step.t} ms expects ${step.expect}`;
      let outcome: string;
      try {
        const ticket = gate.admit(code, step.source ?? 'a');
        if (step.expect.endsWith('released')) {
          ticket.release();
          outcome = 'paired, released';
        } else {
          ticket.used();
          outcome = 'paired';
        }
      } catch (error) {
        if (error instanceof RetryLater) {
          expect(error.message, label).toMatch(new RegExp(`refused for ${error.retryAfterSeconds} s`));
          outcome = `retry ${error.retryAfterSeconds}`;
        } else {
          expect(error, label).toMatchObject({ code: 'forbidden', status: 403 });
          const reason = (error as Error).message.match(/already used|expired|too many wrong guesses/)?.[0];
          outcome = reason ? `wrong: ${reason}` : 'wrong';
        }
      }
      expect(outcome, label).toBe(step.expect);
    }
    if (newCodes) expect(announced).toEqual(newCodes);
  });

  it('holds a code for one pairing at a time: a second pairing with it while the first runs is refused', () => {
    const gate = new PairingGate({ ttlMs: TTL, now: () => new Date(0), limits: LIMITS, newCode: () => 'CODE' });
    const first = gate.admit('CODE', 'a');
    expect(() => gate.admit('CODE', 'b')).toThrow(/pairing another wallet right now/);
    first.release();
    expect(gate.admit('CODE', 'b').code).toBe('CODE');
  });

  it('takes the code as people type it, and nothing that is another code of the alphabet', () => {
    const gate = (code: string) => new PairingGate({ ttlMs: TTL, now: () => new Date(0), limits: { ...LIMITS, perSource: 100, global: 100 }, newCode: () => code });
    for (const typed of ['7K2M9QXA', '7k2m9qxa', '7K2M 9QXA', '7k2m-9qxa', ' 7K2M\u20139QXA ']) {
      expect(gate('7K2M9QXA').admit(typed, 'a').code, typed).toBe('7K2M9QXA');
    }
    // O is read as 0 and I or L as 1: the relay's alphabet has neither letter.
    for (const typed of ['AB0CD1E1', 'abocdiel', 'ABOC-DIEL']) {
      expect(gate('AB0CD1E1').admit(typed, 'a').code, typed).toBe('AB0CD1E1');
    }
    // A different symbol, one short or one too many, is a wrong code.
    for (const typed of ['7K2M9QXB', '7K2M9QX', '7K2M9QXAA', '7K2M_9QXA', '']) {
      expect(() => gate('7K2M9QXA').admit(typed, 'a'), typed).toThrow(/pairing code is wrong/);
    }
  });
});
