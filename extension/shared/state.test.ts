import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { type Pairing, read, type StateKey, update, watch, write } from './state.ts';

const pairing: Pairing = {
  relayUrl: 'https://relay.example',
  walletId: 'w_1',
  walletName: 'Home',
  passkey: null,
  pairedAt: '2025-01-01T00:00:00.000Z',
};

beforeEach(() => {
  fakeBrowser.reset();
});

describe('read', () => {
  it.each([
    ['pairing', null],
    ['settings', { holdHumanCheckouts: false }],
    ['agents', {}],
    ['handedTabs', {}],
    ['pending', []],
    ['confirmWindowId', null],
  ] as [StateKey, unknown][])('%s defaults to %j when nothing is stored', async (key, value) => {
    expect(await read(key)).toEqual(value);
  });

  it('returns a fresh copy of a default each time, so callers cannot change the defaults', async () => {
    const agents = await read('agents');
    agents['x'] = { actorId: 'a_x' };
    expect(await read('agents')).toEqual({});
  });

  it.each([
    ['pairing', { relayUrl: 'not a url', walletId: 'w', walletName: 'n', passkey: null, pairedAt: 'x' }, null],
    ['pairing', 'paired', null],
    ['settings', { holdHumanCheckouts: 'yes' }, { holdHumanCheckouts: false }],
    ['agents', { bot: { actorId: 42 } }, {}],
    ['handedTabs', ['not', 'a', 'record'], {}],
    ['pending', [{ checkoutId: 'c' }], []],
    ['confirmWindowId', 'seven', null],
  ] as [StateKey, unknown, unknown][])('%s: unreadable stored data %j falls back to the default', async (key, stored, value) => {
    await fakeBrowser.storage.local.set({ [key]: stored });
    expect(await read(key)).toEqual(value);
  });

  it('fills in defaults of fields an older version did not store', async () => {
    await fakeBrowser.storage.local.set({ settings: {} });
    expect(await read('settings')).toEqual({ holdHumanCheckouts: false });
  });
});

describe('write', () => {
  it('stores a value that read returns', async () => {
    await write('pairing', pairing);
    expect(await read('pairing')).toEqual(pairing);
    expect(await fakeBrowser.storage.local.get('pairing')).toEqual({ pairing });
  });

  it('leaves other keys alone', async () => {
    await write('confirmWindowId', 7);
    await write('settings', { holdHumanCheckouts: true });
    expect(await read('confirmWindowId')).toBe(7);
    expect(await read('settings')).toEqual({ holdHumanCheckouts: true });
  });
});

describe('update', () => {
  it('changes the stored value and returns the new one', async () => {
    await write('handedTabs', { '1': 'alpha' });
    const value = await update('handedTabs', (tabs) => ({ ...tabs, '2': 'beta' }));
    expect(value).toEqual({ '1': 'alpha', '2': 'beta' });
    expect(await read('handedTabs')).toEqual(value);
  });

  it('starts from the default when nothing is stored', async () => {
    expect(await update('agents', (agents) => ({ ...agents, bot: { actorId: 'a_1' } }))).toEqual({ bot: { actorId: 'a_1' } });
  });

  it('loses no write when many updates run at once', async () => {
    const names = Array.from({ length: 50 }, (_, i) => `agent ${i}`);
    await Promise.all(names.map((name, i) => update('agents', (agents) => ({ ...agents, [name]: { actorId: `a_${i}` } }))));
    expect(Object.keys(await read('agents')).sort()).toEqual([...names].sort());
  });

  it('serialises updates of different keys too, in call order', async () => {
    const order: string[] = [];
    await Promise.all([
      update('pending', (list) => (order.push('pending'), list)),
      update('agents', (agents) => (order.push('agents'), agents)),
      update('pending', (list) => (order.push('pending again'), list)),
    ]);
    expect(order).toEqual(['pending', 'agents', 'pending again']);
  });

  it('a failing change rejects its own caller and does not block the next update', async () => {
    const failed = update('confirmWindowId', () => {
      throw new Error('boom');
    });
    const next = update('confirmWindowId', () => 3);
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe(3);
    expect(await read('confirmWindowId')).toBe(3);
  });
});

describe('watch', () => {
  it('calls the listener with each new value of its key only', async () => {
    const seen: unknown[] = [];
    const stop = watch('confirmWindowId', (value) => seen.push(value));
    await write('confirmWindowId', 5);
    await write('settings', { holdHumanCheckouts: true });
    await update('confirmWindowId', (id) => (id ?? 0) + 1);
    expect(seen).toEqual([5, 6]);
    stop();
    await write('confirmWindowId', 9);
    expect(seen).toEqual([5, 6]);
  });

  it('reports a removed item as its default', async () => {
    await write('pairing', pairing);
    const seen: unknown[] = [];
    watch('pairing', (value) => seen.push(value));
    await fakeBrowser.storage.local.remove('pairing');
    expect(seen).toEqual([null]);
  });

  it('ignores values that do not validate', async () => {
    const seen: unknown[] = [];
    watch('settings', (value) => seen.push(value));
    await fakeBrowser.storage.local.set({ settings: { holdHumanCheckouts: 'maybe' } });
    await write('settings', { holdHumanCheckouts: true });
    expect(seen).toEqual([{ holdHumanCheckouts: true }]);
  });

  it('ignores changes in other storage areas', async () => {
    const seen: unknown[] = [];
    watch('confirmWindowId', (value) => seen.push(value));
    await fakeBrowser.storage.session.set({ confirmWindowId: 4 });
    await fakeBrowser.storage.sync.set({ confirmWindowId: 4 });
    expect(seen).toEqual([]);
  });
});
