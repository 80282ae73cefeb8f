import type { DeviceRequest } from '@agentpay/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Outbox } from './outbox.ts';

const get = (requestId: string): DeviceRequest => ({ type: 'intent.get', requestId, intentId: 'int_1' });

describe('Outbox', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a silent request again after 2, 4, 8 and then every 10 seconds', () => {
    const outbox = new Outbox(10_000);
    const sends: number[] = [];
    const send = (queued: Parameters<Outbox['sent']>[0]) => {
      sends.push(Date.now());
      outbox.sent(queued, () => send(queued));
    };
    void outbox.add(get('req-00000001'), send);
    vi.advanceTimersByTime(40_000);
    const gaps = sends.slice(1).map((t, i) => t - sends[i]!);
    expect(gaps).toEqual([2000, 4000, 8000, 10_000, 10_000]);
  });

  it('starts the resend schedule over after a drop: the first send on the new connection is followed 2 s later', () => {
    const outbox = new Outbox(10_000);
    const sends: number[] = [];
    const send = (queued: Parameters<Outbox['sent']>[0]) => {
      sends.push(Date.now());
      outbox.sent(queued, () => send(queued));
    };
    let queued!: Parameters<Outbox['sent']>[0];
    void outbox.add(get('req-00000004'), (q) => send((queued = q)));
    vi.advanceTimersByTime(2000 + 4000 + 8000); // sent at 0, 2, 6 and 14 s, unanswered
    outbox.pause();
    vi.advanceTimersByTime(30_000); // offline: nothing goes out
    const reconnected = Date.now();
    send(queued); // the connection sends it at once when it is back
    vi.advanceTimersByTime(6000);
    expect(sends.filter((t) => t >= reconnected).map((t) => t - reconnected)).toEqual([0, 2000, 6000]);
    expect(queued.attempts).toBe(7);
  });

  it('answers a request once, stops its resends, and ignores a duplicate answer', async () => {
    const outbox = new Outbox(10_000);
    let sends = 0;
    const answered = outbox.add(get('req-00000002'), (queued) => {
      sends += 1;
      outbox.sent(queued, () => void (sends += 1));
    });
    const answer = { type: 'progress.ack' as const, requestId: 'req-00000002' };
    expect(outbox.answer(answer)).toBe(true);
    expect(outbox.answer(answer)).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(sends).toBe(1);
    await expect(answered).resolves.toEqual(answer);
  });

  it('gives the same answer to the same requestId asked twice', async () => {
    const outbox = new Outbox(10_000);
    const first = outbox.add(get('req-00000003'), () => {});
    const again = outbox.add(get('req-00000003'), () => expect.unreachable('queued twice'));
    expect(outbox.size).toBe(1);
    outbox.answer({ type: 'progress.ack', requestId: 'req-00000003' });
    expect(await first).toEqual(await again);
  });

  it('answers everything queued when the relay refuses the device, and rejects everything on close', async () => {
    const outbox = new Outbox(10_000);
    const a = outbox.add(get('req-0000000a'), () => {});
    const b = outbox.add(get('req-0000000b'), () => {});
    outbox.answerAll({ type: 'error', error: { code: 'agent_revoked', message: 'revoked' } });
    expect(await a).toMatchObject({ requestId: 'req-0000000a', error: { code: 'agent_revoked' } });
    expect(await b).toMatchObject({ requestId: 'req-0000000b', error: { code: 'agent_revoked' } });
    const c = outbox.add(get('req-0000000c'), () => {});
    outbox.rejectAll(new Error('closed'));
    await expect(c).rejects.toThrow('closed');
    expect(outbox.size).toBe(0);
  });
});
