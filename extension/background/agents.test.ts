import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { write } from '../shared/state.ts';
import { claimedAgentFor, claimedAgentName, MAX_AGENTS_PER_SITE } from './agents.ts';

beforeEach(() => fakeBrowser.reset());

describe('agents a page names through window.agentpay', () => {
  it.each([
    ['Shopping bot', 'https://shop.example', 'Shopping bot (shop.example)'],
    ['Shopping bot', 'http://127.0.0.1:8788', 'Shopping bot (127.0.0.1:8788)'],
    ['Browser automation', 'https://evil.example', 'Browser automation (evil.example)'],
  ])('%s on %s is %s, never an agent of the same name elsewhere', (name, origin, full) => {
    expect(claimedAgentName(name, origin)).toBe(full);
  });

  it(`registers at most ${MAX_AGENTS_PER_SITE} per site, and reuses one it knows`, async () => {
    const known = Object.fromEntries(
      Array.from({ length: MAX_AGENTS_PER_SITE }, (_, i) => [`bot ${i} (shop.example)`, { actorId: `agt_${i}` }]),
    );
    await write('agents', known);
    expect(await claimedAgentFor('bot 3 (shop.example)', 'https://shop.example')).toBe('agt_3');
    await expect(claimedAgentFor('bot 99 (shop.example)', 'https://shop.example')).rejects.toMatchObject({ code: 'too_many_agents' });
  });
});
