import type { Browser } from 'puppeteer-core';
import { z } from 'zod';

/** Sends one WebDriver BiDi command on the session Puppeteer holds, and answers with its result. */
export type BidiSend = (method: string, params: object) => Promise<unknown>;

const Sender = z.object({ send: z.custom<(...args: unknown[]) => unknown>((value) => typeof value === 'function') });

/**
 * The raw WebDriver BiDi session under a Puppeteer browser. Puppeteer has no
 * page objects for moz-extension tabs (Firefox's BiDi does not report their
 * events yet, Mozilla bug 1755014), but it does let commands reach them, so
 * the extension's own pages are driven with plain BiDi commands.
 */
export function bidiOf(browser: Browser): BidiSend {
  const connection: unknown = Reflect.get(browser, 'connection');
  const sender = Sender.safeParse(connection);
  if (!sender.success) throw new Error('this Puppeteer browser has no WebDriver BiDi connection (launch it with browser: "firefox")');
  return async (method, params) => {
    const answer = z.object({ result: z.unknown() }).parse(await Reflect.apply(sender.data.send, connection, [method, params]));
    return answer.result;
  };
}

const Tree = z.object({ contexts: z.array(z.object({ context: z.string(), url: z.string() })) });

/** The top-level tabs and windows of the browser, with their URLs (extension tabs included). */
export async function topLevelContexts(send: BidiSend): Promise<{ context: string; url: string }[]> {
  return Tree.parse(await send('browsingContext.getTree', { maxDepth: 0 })).contexts;
}

const Evaluated = z.discriminatedUnion('type', [
  z.object({ type: z.literal('success'), result: z.object({ type: z.string(), value: z.unknown().optional(), sharedId: z.string().optional() }) }),
  z.object({ type: z.literal('exception'), exceptionDetails: z.object({ text: z.string() }) }),
]);

/**
 * Runs `source` (a function's source text) in `context` with `args`, awaiting
 * it. JSON goes both ways, or a DOM node comes back as its BiDi shared id.
 */
export async function callIn(send: BidiSend, context: string, source: string, args: unknown[], returns: 'json' | 'node'): Promise<unknown> {
  const wrapped = returns === 'json' ? `async (args) => JSON.stringify(await (${source})(...JSON.parse(args)) ?? null)` : `async (args) => (${source})(...JSON.parse(args))`;
  const answer = Evaluated.parse(
    await send('script.callFunction', {
      functionDeclaration: wrapped,
      arguments: [{ type: 'string', value: JSON.stringify(args) }],
      target: { context },
      awaitPromise: true,
      resultOwnership: 'none',
    }),
  );
  if (answer.type === 'exception') throw new Error(`script failed in ${context}: ${answer.exceptionDetails.text}`);
  if (returns === 'node') return answer.result.sharedId ?? null;
  return typeof answer.result.value === 'string' ? JSON.parse(answer.result.value) : null;
}
