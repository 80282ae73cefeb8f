import { describe, expect, it } from 'vitest';
import { Category, Channel } from './intent.ts';
import { CATEGORY_LABELS, CHANNEL_LABELS, categoryInSentence } from './labels.ts';

describe('names people read for categories and channels', () => {
  it('names every category and channel, each differently', () => {
    expect(Object.keys(CATEGORY_LABELS).sort()).toEqual([...Category.options].sort());
    expect(Object.keys(CHANNEL_LABELS).sort()).toEqual([...Channel.options].sort());
    expect(new Set(Object.values(CATEGORY_LABELS)).size).toBe(Category.options.length);
    expect(new Set(Object.values(CHANNEL_LABELS)).size).toBe(Channel.options.length);
  });

  it.each<[Category, string]>([
    ['physical_goods', 'physical goods'],
    ['ev_charging', 'EV charging'],
    ['food', 'food and drink'],
  ])('%s inside a sentence reads "%s"', (category, words) => {
    expect(categoryInSentence(category)).toBe(words);
  });
});
