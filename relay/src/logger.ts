import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** Readable lines for a person at a terminal, JSON for machines; `auto` picks by whether stderr is a terminal. */
export type LogFormat = 'auto' | 'pretty' | 'json';

/**
 * Logs on stderr, so stdout stays free for what the CLI prints. Readable lines show the message and
 * level only: the structured fields a line carries for machines (`payment`, ids) stay in the JSON form.
 */
export function createLogger(level: string, format: LogFormat = 'auto'): Logger {
  const options = { level, base: { service: 'relay' } };
  const readable = format === 'pretty' || (format === 'auto' && process.stderr.isTTY === true);
  if (!readable) return pino(options, pino.destination(2));
  return pino(
    options,
    pretty({ destination: 2, sync: true, colorize: process.stderr.isTTY === true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service,payment' }),
  );
}
