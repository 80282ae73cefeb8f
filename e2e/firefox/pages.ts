import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Pages served on two origins of this machine, so that an iframe from one in the other is truly cross-origin. */
export interface TwoOrigins {
  /** http://127.0.0.1:<port> */
  first: string;
  /** http://localhost:<port>: another origin, the same pages */
  second: string;
  close(): Promise<void>;
}

/** Serves the pages `build` makes (path to HTML, knowing both origins) on both origins; any other path is a 404. */
export async function serveOnTwoOrigins(build: (origins: { first: string; second: string }) => Record<string, string>): Promise<TwoOrigins> {
  let pages: Record<string, string> = {};
  const listen = async (): Promise<Server> => {
    const server = createServer((request, response) => {
      const html = pages[new URL(request.url ?? '/', 'http://x').pathname];
      response.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(html ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  };
  const servers = [await listen(), await listen()] as const;
  const port = (server: Server) => (server.address() as AddressInfo).port;
  const origins = { first: `http://127.0.0.1:${port(servers[0])}`, second: `http://localhost:${port(servers[1])}` };
  pages = build(origins);
  return {
    ...origins,
    close: async () => {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

/**
 * An inline script that records, as the document's very first script, what it
 * saw of the extension's main-world interceptor, and posts it to the top page.
 */
export function firstScriptProbe(frame: string): string {
  const report = `{ frame: ${JSON.stringify(frame)}, agentpay: typeof window.agentpay, paymentRequest: typeof window.PaymentRequest }`;
  return `<script>window.firstScriptSaw = ${report}; if (parent !== window) parent.postMessage({ probe: window.firstScriptSaw }, '*');</script>`;
}

/** HTML to put inside a <script> as a string literal, unable to close the script early. */
export function scriptString(html: string): string {
  return JSON.stringify(html).replace(/</g, '\\u003c');
}

/** The kinds of frame a checkout's card fields may live in, each probed by pageWithEveryFrameKind. */
export const FRAME_KINDS = ['cross-origin', 'srcdoc', 'sandboxed srcdoc', 'data:', 'about:blank written by the page', 'blob:'] as const;

/**
 * An inline script that asks the wallet for something it must refuse (a payment of no amount) and
 * posts to the top page whether an answer came: only a frame with the isolated bridge beside the
 * interceptor gets one, and a card held in a frame without it would wait for ever, unseen.
 */
export function walletAnswerProbe(frame: string): string {
  const tell = `(answer) => parent.postMessage({ probe: { frame: ${JSON.stringify(frame)}, answer } }, '*')`;
  return `<script>{ const tell = ${tell};
window.agentpay.requestPayment({}).then(() => tell('paid'), (error) => tell(error.name === 'AgentPayError' ? 'answered' : String(error))); }</script>`;
}

/**
 * A top page (its own probe first) with one iframe of each of FRAME_KINDS,
 * the cross-origin one from `other` (serve the same probe there at `framePath`).
 * Each frame's probe posts what it saw; the top page collects the posts in `window.frameReports`.
 */
export function pageWithEveryFrameKind(other: string, probe: (frame: string) => string = firstScriptProbe, framePath = '/frame'): string {
  const attribute = (html: string) => html.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<!doctype html><title>Frames</title>
<script>window.frameReports = []; addEventListener('message', (event) => { if (event.data && event.data.probe) frameReports.push(event.data.probe); });</script>
${probe === firstScriptProbe ? firstScriptProbe('top') : ''}
<iframe src="${other}${framePath}"></iframe>
<iframe srcdoc="${attribute(probe('srcdoc'))}"></iframe>
<iframe sandbox="allow-scripts" srcdoc="${attribute(probe('sandboxed srcdoc'))}"></iframe>
<iframe src="data:text/html,${encodeURIComponent(probe('data:'))}"></iframe>
<iframe id="written"></iframe>
<script>{ const d = document.getElementById('written').contentDocument; d.open(); d.write(${scriptString(probe('about:blank written by the page'))}); d.close(); }</script>
<script>{ const f = document.createElement('iframe'); f.src = URL.createObjectURL(new Blob([${scriptString(probe('blob:'))}], { type: 'text/html' })); document.body.append(f); }</script>`;
}
