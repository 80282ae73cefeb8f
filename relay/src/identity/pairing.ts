import { ProtocolError, randomString } from '@agentpay/protocol';
import { timingSafeEqual } from 'node:crypto';
import { RetryLater } from '../http/retry-later.ts';
import { createThrottle, type Throttle } from '../throttle/throttle.ts';

/**
 * How hard guessing the pairing code is made. A wrong code counts against the
 * address it came from and against the relay as a whole; once either has used
 * up its wrong codes for the window, every pairing from there (the whole relay)
 * is answered 429 until the window frees, the right code included, so a lucky
 * guess after the limit is never judged. A code the relay made is replaced
 * after `rotateAfter` wrong codes, so no code ever faces more guesses than that.
 */
export interface PairingLimits {
  /** Wrong codes one source address may send per window. */
  perSource: number;
  /** Wrong codes all sources together may send per window. */
  global: number;
  windowMs: number;
  /** Wrong codes after which a code the relay made is replaced (a configured code never is). */
  rotateAfter: number;
}

export const PAIRING_LIMITS: PairingLimits = { perSource: 5, global: 20, windowMs: 60_000, rotateAfter: 10 };

/** Why the relay made a new code; told to whoever shows the code to the user. */
export type NewCodeReason = 'used' | 'expired' | 'guessed';

export interface PairingOptions {
  /** A code from configuration: kept as it is (no expiry, reusable, never rotated), but throttled the same. */
  fixedCode?: string;
  /** How long a code the relay made stays valid. */
  ttlMs: number;
  now: () => Date;
  limits?: PairingLimits;
  /** Makes a fresh code (tests pass their own). */
  newCode?: () => string;
}

/** The right code, held for one pairing until it is done (`used`) or failed (`release`). */
export interface PairingTicket {
  code: string;
  used(): void;
  release(): void;
}

/**
 * The relay's pairing code and the guard in front of it. By default the code
 * is the relay's own: it pairs one wallet and is then replaced, expires after
 * `ttlMs`, and is replaced after too many wrong guesses; every new code is told
 * to the listeners (the CLI prints it, the relay writes it to its data folder).
 * All state is in memory: a restart makes a new code and forgets the counts.
 */
export class PairingGate {
  readonly #fixed: boolean;
  readonly #ttlMs: number;
  readonly #now: () => Date;
  readonly #limits: PairingLimits;
  readonly #newCode: () => string;
  readonly #listeners = new Set<(code: string, reason: NewCodeReason) => void>();
  #code: string;
  #issuedAt: number;
  #wrongOnCode = 0;
  #reserved = false;
  /** Codes replaced lately and why, to tell a user why their code no longer works. */
  #retired = new Map<string, NewCodeReason>();
  /** Wrong codes, relay-wide and per source address. */
  readonly #wrongOverall: Throttle;
  readonly #wrongBySource: Throttle;

  constructor(options: PairingOptions) {
    this.#fixed = options.fixedCode !== undefined;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now;
    this.#limits = options.limits ?? PAIRING_LIMITS;
    const clock = () => this.#now().getTime();
    this.#wrongOverall = createThrottle({ limit: this.#limits.global, windowMs: this.#limits.windowMs, now: clock });
    this.#wrongBySource = createThrottle({ limit: this.#limits.perSource, windowMs: this.#limits.windowMs, now: clock });
    this.#newCode = options.newCode ?? (() => randomString(8).toUpperCase());
    this.#code = options.fixedCode ?? this.#newCode();
    this.#issuedAt = this.#now().getTime();
  }

  /** The code a wallet must present now (a new one if the last expired). */
  get code(): string {
    this.sweep();
    return this.#code;
  }

  /** When the current code stops working; null for a configured code. */
  get expiresAt(): Date | null {
    return this.#fixed ? null : new Date(this.#issuedAt + this.#ttlMs);
  }

  /** How long a code the relay made stays valid. */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  /** Whether the code comes from configuration (kept) or is the relay's own (single use, short-lived). */
  get fixed(): boolean {
    return this.#fixed;
  }

  /** Calls `listener` with every new code; returns the way to stop. */
  onNewCode(listener: (code: string, reason: NewCodeReason) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Replaces an expired code; the relay's sweeper calls it, so the code shown is always one that works. */
  sweep(): void {
    if (!this.#fixed && !this.#reserved && this.#now().getTime() >= this.#issuedAt + this.#ttlMs) this.#rotate('expired');
  }

  /**
   * Judges a code a wallet presented from `source` (its address). Throws 429
   * (RetryLater) while the source or the relay is locked out, 403 for a wrong,
   * used or expired code; otherwise holds the code for this one pairing.
   */
  admit(given: string, source: string): PairingTicket {
    this.sweep();
    const overall = this.#wrongOverall.retryAfterMs(ALL_SOURCES);
    if (overall > 0) throw locked(overall, 'too many wrong pairing codes were tried on this relay');
    const mine = this.#wrongBySource.retryAfterMs(source);
    if (mine > 0) throw locked(mine, 'too many wrong pairing codes came from this address');
    if (!samePairingCode(given, this.#code)) {
      this.#wrongOverall.hit(ALL_SOURCES);
      this.#wrongBySource.hit(source);
      const retired = this.#retired.get(normalisePairingCode(given));
      if (!this.#fixed && ++this.#wrongOnCode >= this.#limits.rotateAfter && !this.#reserved) this.#rotate('guessed');
      throw new ProtocolError('forbidden', wrongCodeMessage(retired), 403);
    }
    if (this.#reserved) {
      throw new ProtocolError('forbidden', 'this pairing code is pairing another wallet right now, and pairs only one: use the next code the relay prints', 409);
    }
    if (this.#fixed) return { code: this.#code, used: () => undefined, release: () => undefined };
    this.#reserved = true;
    const code = this.#code;
    let done = false;
    return {
      code,
      used: () => {
        if (done) return;
        done = true;
        this.#reserved = false;
        this.#rotate('used');
      },
      release: () => {
        if (done) return;
        done = true;
        this.#reserved = false;
      },
    };
  }

  #rotate(reason: NewCodeReason): void {
    this.#retired.set(normalisePairingCode(this.#code), reason);
    // A handful is enough to explain a stale code; older ones are simply wrong.
    for (const old of this.#retired.keys()) if (this.#retired.size > 8) this.#retired.delete(old);
    this.#code = this.#newCode();
    this.#issuedAt = this.#now().getTime();
    this.#wrongOnCode = 0;
    for (const listener of this.#listeners) listener(this.#code, reason);
  }
}

const ALL_SOURCES = '*';

/** Locked until enough of the window's wrong codes have aged out to allow one more. */
function locked(waitMs: number, why: string): RetryLater {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new RetryLater(`${why}: pairing is refused for ${seconds} s, even with the right code; try again after that`, seconds);
}

/** The "pairing" line: the code to enter in the wallet, and for a code the relay made, that it is single-use and short-lived. */
export function pairingLine(pairing: PairingGate): string {
  if (pairing.fixed) return `pairing    ${pairing.code}  (enter it in the wallet to pair)`;
  const seconds = Math.round(pairing.ttlMs / 1000);
  const valid = seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
  return `pairing    ${pairing.code}  (enter it in the wallet to pair; pairs one wallet, valid ${valid}; each new code is printed here)`;
}

/** Prints every new pairing code as the relay makes it, saying why the last one stopped working. */
export function printNewPairingCodes(pairing: PairingGate, write: (text: string) => void): () => void {
  const why = { used: 'the last code paired a wallet', expired: 'the last code expired', guessed: 'the last code was guessed at too often' } as const;
  return pairing.onNewCode((code, reason) => write(`pairing    ${code}  (new code: ${why[reason]}; enter this one in the wallet)\n`));
}

function wrongCodeMessage(retired: NewCodeReason | undefined): string {
  switch (retired) {
    case 'used':
      return 'this pairing code was already used to pair a wallet, and pairs only one: use the new code the relay printed';
    case 'expired':
      return 'this pairing code has expired: use the new code the relay printed';
    case 'guessed':
      return 'this pairing code was replaced after too many wrong guesses: use the new code the relay printed';
    default:
      return 'the pairing code is wrong: use the one the relay printed last';
  }
}

/**
 * A pairing code as typed, reduced to what tells codes apart: people read a
 * code off a terminal and type it back in lower case, in groups, or with an
 * O for a 0. The relay's codes use Crockford's alphabet (0-9 and A-Z without
 * I, L, O, U), so upper-casing, dropping spaces and dashes, and reading O as
 * 0 and I or L as 1 never makes two of its codes equal. A configured code
 * goes through the same reduction, so it is matched the same forgiving way.
 */
export function normalisePairingCode(code: string): string {
  return code.toUpperCase().replace(/[\s\-\u2010-\u2015]+/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** Whether `given` is `expected` once both are normalised, compared in constant time. */
export function samePairingCode(given: string, expected: string): boolean {
  const a = Buffer.from(normalisePairingCode(given));
  const b = Buffer.from(normalisePairingCode(expected));
  return b.length > 0 && a.length === b.length && timingSafeEqual(a, b);
}
