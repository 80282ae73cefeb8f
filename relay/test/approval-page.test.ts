import type { Intent } from '@agentpay/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Relay } from '../src/relay.ts';
import { cart, setUpParties, startTestRelay } from './harness.ts';

/** The page an MCP client shows for a held payment (URL elicitation): what waits, where to answer, nothing to click. */
describe('GET /approvals/{id}', () => {
  let relay: Relay;
  let parties: Awaited<ReturnType<typeof setUpParties>>;
  beforeAll(async () => {
    relay = await startTestRelay('pglite');
    parties = await setUpParties(relay);
  });
  afterAll(async () => {
    await relay?.close();
  });

  it('says what waits, the agent\'s words escaped, with no form, no script and no caching', async () => {
    const held = await parties.agent.client.post<Intent>('/v1/intents', cart(parties.merchant.record.id, 12_50, { description: '<img src=x onerror=alert(1)> tea & "cups"' }));
    expect(held.status).toBe('pending_confirmation');
    const page = await fetch(`${relay.httpUrl}/approvals/${held.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('12.50 CNY to Demo Shop');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62; tea &#38; &#34;cups&#34;');
    expect(html).not.toMatch(/<form|<script|<img/);
    expect(html).toMatch(/Waiting for you/);
  });

  it.each(['int_nope', 'int_%00', '..%2F..%2Fv1%2Fhealth', 'x'.repeat(500)])('answers %s with a plain 404', async (id) => {
    const page = await fetch(`${relay.httpUrl}/approvals/${id}`);
    expect(page.status).toBe(404);
  });
});
