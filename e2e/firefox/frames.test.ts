import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FirefoxWithExtension, launchFirefoxWithExtension } from './firefox.ts';
import { FRAME_KINDS, firstScriptProbe, pageWithEveryFrameKind, serveOnTwoOrigins, type TwoOrigins, walletAnswerProbe } from './pages.ts';

/**
 * Where and when the extension's main-world interceptor runs in Firefox. It
 * must run before the page's first script, or a page could keep the original
 * form.submit, fetch and PaymentRequest before they are held.
 */
let firefox: FirefoxWithExtension;
let pages: TwoOrigins;
beforeAll(async () => {
  pages = await serveOnTwoOrigins(({ second }) => ({
    '/shop': `<!doctype html><title>Shop</title>${firstScriptProbe('top')}<p>no checkout here</p>`,
    '/framed': pageWithEveryFrameKind(second),
    '/frame': `<!doctype html>${firstScriptProbe('cross-origin')}<p>a card field would be here</p>`,
    '/asking': pageWithEveryFrameKind(second, walletAnswerProbe, '/asking-frame'),
    '/asking-frame': `<!doctype html>${walletAnswerProbe('cross-origin')}`,
  }));
  firefox = await launchFirefoxWithExtension();
});
afterAll(async () => {
  await firefox?.close();
  await pages?.close();
});

describe('the interceptor in Firefox', () => {
  it('runs in the page\'s own world before the page\'s first script (MAIN world content script at document_start)', async () => {
    const page = await firefox.newPage();
    await page.goto(`${pages.first}/shop`);
    // Firefox ships no Payment Request API: the interceptor's own stands in for it.
    expect(await page.evaluate(() => Reflect.get(window, 'firstScriptSaw'))).toEqual({ frame: 'top', agentpay: 'object', paymentRequest: 'function' });
    await page.close();
  });

  it('runs in every frame, of every kind, before its first script (all_frames, match_about_blank, match_origin_as_fallback)', async () => {
    const page = await firefox.newPage();
    await page.goto(`${pages.first}/framed`);
    expect(await page.evaluate(() => Reflect.get(window, 'firstScriptSaw'))).toMatchObject({ frame: 'top', agentpay: 'object' });
    // Every frame's first script reported, so the page's frames loaded: once the interceptor runs in
    // every frame (all_frames, match_about_blank, match_origin_as_fallback), each reports agentpay 'object'.
    await page.waitForFunction((count) => Reflect.get(window, 'frameReports').length === count, {}, FRAME_KINDS.length);
    const reports = (await page.evaluate(() => Reflect.get(window, 'frameReports'))) as { frame: string }[];
    expect([...reports].sort((a, b) => a.frame.localeCompare(b.frame))).toEqual(
      [...FRAME_KINDS].sort().map((frame) => ({ frame, agentpay: 'object', paymentRequest: 'function' })),
    );
    await page.close();
  });

  it('has the wallet answer in frames of every kind, a page-written about:blank too (the isolated bridge runs beside it; its listeners come back after document.open())', async () => {
    const kinds = FRAME_KINDS;
    const page = await firefox.newPage();
    await page.goto(`${pages.first}/asking`);
    await page.waitForFunction((count) => Reflect.get(window, 'frameReports').length >= count, { timeout: 20_000 }, kinds.length).catch(() => undefined);
    const reports = (await page.evaluate(() => Reflect.get(window, 'frameReports'))) as { frame: string }[];
    expect([...reports].sort((a, b) => a.frame.localeCompare(b.frame))).toEqual([...kinds].sort().map((frame) => ({ frame, answer: 'answered' })));
    await page.close();
  });
});
