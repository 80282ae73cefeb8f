import { describe, expect, it } from 'vitest';
import { PendingConfirmation } from './confirmation.ts';

const now = () => new Date();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PendingConfirmation', () => {
  it('counts silence as a cancel, never a yes', async () => {
    const question = new PendingConfirmation();
    expect(await question.ask(20, now)).toMatchObject({ kind: 'cancel', method: 'timeout' });
    expect(question.isOpen).toBe(false);
  });

  it('starts the time to answer once the read-back has been spoken', async () => {
    const question = new PendingConfirmation();
    const answered = question.ask(50, now, sleep(150)); // a read-back that takes longer than the time to answer
    await sleep(120);
    expect(question.answer({ kind: 'confirm', method: 'voice', at: now() })).toBe(true);
    expect(await answered).toMatchObject({ kind: 'confirm' });
  });

  it('ends an open question when a new one is asked', async () => {
    const question = new PendingConfirmation();
    const first = question.ask(1000, now);
    const second = question.ask(1000, now);
    expect(await first).toMatchObject({ kind: 'cancel', method: 'superseded' });
    question.answer({ kind: 'cancel', method: 'voice', at: now() });
    expect(await second).toMatchObject({ kind: 'cancel', method: 'voice' });
    expect(question.answer({ kind: 'confirm', method: 'tap', at: now() })).toBe(false);
  });
});
