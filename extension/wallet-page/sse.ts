/** One server-sent event: its `event:` name (default "message") and its `data:` lines joined by "\n". */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * An incremental parser for the text/event-stream format (the subset the
 * relay sends: `event:`, `data:`, comments). Feed it decoded chunks as they
 * arrive; a line split across chunks is kept until its end comes.
 */
export function createSseParser(): { push(chunk: string): SseEvent[] } {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  // A chunk ending in "\r" ended a line; a "\n" starting the next one is the rest of that "\r\n".
  let endedWithCr = false;
  return {
    push(chunk) {
      if (endedWithCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
      endedWithCr = chunk.endsWith('\r');
      buffer += chunk;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop()!;
      const out: SseEvent[] = [];
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) out.push({ event: event || 'message', data: data.join('\n') });
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      return out;
    },
  };
}

/** How long to wait before reconnecting after `attempt` failures in a row: doubling, capped. */
export function backoffMs(attempt: number, baseMs = 1000, maxMs = 30_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
}
