import type { Category, Channel } from './intent.ts';

/** What each category is called wherever a person reads it (forms, sentences, charts). */
export const CATEGORY_LABELS: Record<Category, string> = {
  physical_goods: 'Physical goods',
  digital_goods: 'Digital goods',
  groceries: 'Groceries',
  food: 'Food and drink',
  parking: 'Parking',
  tolls: 'Tolls',
  ev_charging: 'EV charging',
  fuel: 'Fuel',
  transport: 'Transport',
  travel: 'Travel',
  entertainment: 'Entertainment',
  services: 'Services',
  other: 'Other',
};

/** How a payment was started, in a person's words. */
export const CHANNEL_LABELS: Record<Channel, string> = {
  browser: 'browser',
  'device-voice': 'voice in a device',
  'device-scan': 'scan by a device',
  api: 'API',
};

/** A category inside a sentence: "on physical goods", but "on EV charging". */
export function categoryInSentence(category: Category): string {
  const label = CATEGORY_LABELS[category];
  return /^[A-Z]{2}/.test(label) ? label : label.toLowerCase();
}
