import { type Merchant, RelayHttpClient } from '@agentpay/protocol';
import { describe, expect, it } from 'vitest';
import { MERCHANT_REMEMBERED_MS, merchantForOrigin } from './merchants.ts';

const tea = { id: 'mer_tea', name: 'Demo Tea Shop', currency: 'CNY' } as Merchant;
const teaAgain = { id: 'mer_tea2', name: 'Demo Tea Shop (new key)', currency: 'CNY' } as Merchant;

/** A relay whose answers for `/v1/merchants` are `answers` in turn (the last one repeated), counting what it was asked. */
function relayAnswering(...answers: Merchant[][]) {
  const asked: string[] = [];
  // Each test its own relay address: what one remembered is not another's.
  const relay = new RelayHttpClient(`http://relay-${Math.random().toString(36).slice(2)}.test`, undefined, {
    fetch: async (url) => {
      asked.push(String(url));
      const merchants = answers[Math.min(asked.length - 1, answers.length - 1)];
      return new Response(JSON.stringify({ merchants }), { headers: { 'content-type': 'application/json' } });
    },
  });
  return { relay, asked };
}

const at = Date.parse('2026-11-30T10:00:00Z');

describe("the relay's answer for a merchant's origin, used again for a while", () => {
  it('a second checkout at the same proven site within the window asks the relay nothing', async () => {
    const { relay, asked } = relayAnswering([tea]);
    expect(await merchantForOrigin(relay, 'https://tea.example', undefined, at)).toMatchObject({ id: 'mer_tea' });
    expect(await merchantForOrigin(relay, 'https://tea.example', undefined, at + MERCHANT_REMEMBERED_MS - 1)).toMatchObject({ id: 'mer_tea' });
    expect(asked).toHaveLength(1);
  });

  it('is asked again once the while has passed, and for another origin', async () => {
    const { relay, asked } = relayAnswering([tea]);
    await merchantForOrigin(relay, 'https://tea.example', undefined, at);
    await merchantForOrigin(relay, 'https://other.example', undefined, at);
    await merchantForOrigin(relay, 'https://tea.example', undefined, at + MERCHANT_REMEMBERED_MS);
    expect(asked).toHaveLength(3);
  });

  it.each([
    ['no merchant (one may register any moment)', [] as Merchant[], 'unknown_merchant'],
    ['several merchants (the user must not be guessed for)', [tea, teaAgain], 'ambiguous_merchant'],
  ])('an origin proven by %s is asked about every time', async (_, merchants, code) => {
    const { relay, asked } = relayAnswering(merchants);
    await expect(merchantForOrigin(relay, 'https://tea.example', undefined, at)).rejects.toMatchObject({ code });
    await expect(merchantForOrigin(relay, 'https://tea.example', undefined, at)).rejects.toMatchObject({ code });
    expect(asked).toHaveLength(2);
  });

  it('a site that became ambiguous after its answer was remembered is found so once the while has passed', async () => {
    const { relay } = relayAnswering([tea], [tea, teaAgain]);
    await merchantForOrigin(relay, 'https://tea.example', undefined, at);
    await expect(merchantForOrigin(relay, 'https://tea.example', undefined, at + MERCHANT_REMEMBERED_MS)).rejects.toMatchObject({ code: 'ambiguous_merchant' });
  });

  it('a page naming a merchant other than the one remembered gets the relay\'s current answer, not the memory', async () => {
    const { relay, asked } = relayAnswering([tea], [tea, teaAgain]);
    await merchantForOrigin(relay, 'https://tea.example', undefined, at);
    expect(await merchantForOrigin(relay, 'https://tea.example', 'mer_tea2', at)).toMatchObject({ id: 'mer_tea2' });
    expect(asked).toHaveLength(2);
  });
});
