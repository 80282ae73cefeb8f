import { describe, expect, it } from 'vitest';
import { backoffMs, createSseParser, type SseEvent } from './sse.ts';

describe('createSseParser', () => {
  it.each<[string, string[], SseEvent[]]>([
    ['one event', ['event: progress\ndata: {"a":1}\n\n'], [{ event: 'progress', data: '{"a":1}' }]],
    ['default event name', ['data: hi\n\n'], [{ event: 'message', data: 'hi' }]],
    ['comments are skipped', [': connected to wallet wal_1\n\n: keepalive\n\n'], []],
    ['multi-line data', ['data: a\ndata: b\n\n'], [{ event: 'message', data: 'a\nb' }]],
    ['no space after colon', ['event:x\ndata:y\n\n'], [{ event: 'x', data: 'y' }]],
    ['CRLF line ends', ['event: x\r\ndata: y\r\n\r\n'], [{ event: 'x', data: 'y' }]],
    ['CRLF split between chunks', ['event: x\r', '\ndata: y\r', '\n\r', '\n'], [{ event: 'x', data: 'y' }]],
    ['line split across chunks', ['event: intent.up', 'dated\ndata: {"id"', ':"int_1"}\n', '\n'], [{ event: 'intent.updated', data: '{"id":"int_1"}' }]],
    ['two events in one chunk', ['event: a\ndata: 1\n\nevent: b\ndata: 2\n\n'], [{ event: 'a', data: '1' }, { event: 'b', data: '2' }]],
    ['event without data is dropped', ['event: a\n\n'], []],
    ['unfinished event waits', ['event: a\ndata: 1\n'], []],
    ['unknown fields are ignored', ['id: 7\nretry: 10\ndata: z\n\n'], [{ event: 'message', data: 'z' }]],
    ['name does not leak to the next event', ['event: a\ndata: 1\n\ndata: 2\n\n'], [{ event: 'a', data: '1' }, { event: 'message', data: '2' }]],
  ])('%s', (_name, chunks, expected) => {
    const parser = createSseParser();
    expect(chunks.flatMap((c) => parser.push(c))).toEqual(expected);
  });
});

describe('backoffMs', () => {
  it.each([
    [0, 1000],
    [1, 2000],
    [2, 4000],
    [4, 16_000],
    [5, 30_000],
    [50, 30_000],
    [-1, 1000],
  ])('attempt %i waits %i ms', (attempt, ms) => {
    expect(backoffMs(attempt)).toBe(ms);
  });
});
