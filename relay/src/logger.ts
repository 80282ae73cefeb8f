import pino, { type Logger } from 'pino';

/** Structured JSON logs on stderr, so stdout stays free for what the CLI prints. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'relay' } }, pino.destination(2));
}
