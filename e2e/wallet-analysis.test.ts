import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSpendingHistory } from '../relay/test/spending-history.ts';
import { extensionWallet } from './extension-wallet-key.ts';
import { closeTab, startSystem, type System } from './system.ts';
import { screenshotPath } from './screenshots.ts';

let system: System;
/** The relay's clock: frozen at an instant while the history is laid down, the real one otherwise. */
let frozen: number | undefined;
let wallet: Page;
let months: { now: string; before: string };

beforeAll(async () => {
  system = await startSystem({ now: () => new Date(frozen ?? Date.now()) });
  wallet = await system.browser.context.newPage();
  await wallet.goto(system.browser.url('wallet.html'));
  // The history is laid on the browser's own calendar, the one the page asks the relay to read it in.
  const timeZone = await wallet.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const now = new Date();
  await seedSpendingHistory(system.relay, await extensionWallet(wallet, system.relay), (at) => (frozen = at.getTime()), now, timeZone);
  frozen = undefined;
  const month = (offset: number) => {
    const local = new Date(now.toLocaleString('en-US', { timeZone }));
    return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(local.getFullYear(), local.getMonth() + offset, 15)));
  };
  months = { now: month(0), before: month(-1) };
  await wallet.reload();
}, 180_000);
afterAll(async () => {
  if (wallet) await closeTab(wallet);
  await system?.close();
});

const spending = () => wallet.getByRole('region', { name: 'Spending', exact: true });

/** The text of each cell of a table row, its header first. */
const rowCells = (row: Locator) => row.locator('th, td').allTextContents();

/** Opens the table behind a chart, as a person would (unless an earlier test left it open). */
async function openTable(section: Locator, currency: string): Promise<void> {
  const summary = section.getByText(`Show as a table (${currency})`, { exact: true });
  if (!(await summary.evaluate((s) => (s.parentElement as HTMLDetailsElement).open))) await summary.click();
}

describe('the AI Wallet spending analysis on a few weeks of records', () => {
  it('says this month against last by category, with a chart and the table behind it', async () => {
    const section = spending().getByRole('region', { name: 'This month against last' });
    const lines = section.getByRole('list', { name: `${months.now} against ${months.before} in CNY` });
    await lines.getByRole('listitem').filter({ hasText: 'transport 140.00 CNY, up 40%' }).waitFor({ timeout: 20_000 });
    expect(await lines.getByRole('listitem').first().textContent()).toBe('transport 140.00 CNY, up 40%');

    const chart = section.getByRole('img', { name: new RegExp(`^Spending by category in CNY, ${months.now} against ${months.before}: transport 140\\.00 CNY, up 40%`) });
    await chart.waitFor();
    // Chart.js drew on the canvas under the extension's CSP: some pixels are painted.
    const painted = await chart.evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      return data.filter((_, i) => i % 4 === 3 && data[i]! > 0).length;
    });
    expect(painted).toBeGreaterThan(500);

    await openTable(section, 'CNY');
    const table = section.getByRole('table', { name: `Spending by category in CNY, ${months.now} against ${months.before}` });
    expect(await rowCells(table.getByRole('row').nth(0))).toEqual(['Category', months.before, months.now, 'Change']);
    expect(await rowCells(table.getByRole('row', { name: /^transport/ }))).toEqual(['transport', '100.00 CNY', '140.00 CNY', 'up 40%']);
    expect(await rowCells(table.getByRole('row', { name: /^food/ }))).toEqual(['food and drink', '0.00 CNY', '85.00 CNY', 'new']);
  });

  it('ranks the merchants and agents, this month and all time, net of refunds', async () => {
    const merchants = spending().getByRole('region', { name: 'Top merchants' });
    await merchants.getByRole('img', { name: /^Top merchants this month in CNY: City Taxi 140\.00 CNY/ }).waitFor({ timeout: 20_000 });
    await openTable(merchants, 'CNY');
    const table = merchants.getByRole('table', { name: 'Top merchants in CNY' });
    expect(await rowCells(table.getByRole('row', { name: /^City Taxi/ }))).toEqual(['City Taxi', '140.00 CNY', '240.00 CNY', '4']);
    // The 20.00 CNY meal refunded in full is no payment; the 85.00 CNY one is.
    expect(await rowCells(table.getByRole('row', { name: /^Noodle Bar/ }))).toEqual(['Noodle Bar', '85.00 CNY', '85.00 CNY', '1']);

    const agents = spending().getByRole('region', { name: 'Top agents' });
    await openTable(agents, 'CNY');
    expect(await rowCells(agents.getByRole('table', { name: 'Top agents in CNY' }).getByRole('row', { name: /^Errand agent/ })))
      .toEqual(['Errand agent', '140.00 CNY', '240.00 CNY', '4']);
  });

  it("shows each budget's standing and when it renews", async () => {
    const budgets = spending().getByRole('region', { name: 'Budgets' });
    const lunch = budgets.getByRole('listitem').filter({ hasText: /^Lunch agent: 15\.00 CNY left of 100\.00 CNY this month \(85% used\); renews on 1 \w+\.$/ });
    await lunch.waitFor({ timeout: 20_000 });
    expect(await lunch.getByRole('progressbar', { name: 'Lunch agent: 85% of the budget used' }).count()).toBe(1);
  });

  it('suggests from the records in plain sentences: a budget nearly spent, a rule to save clicks, a weekly purchase', async () => {
    const list = spending().getByRole('region', { name: 'Suggestions' }).getByRole('list');
    await list.getByRole('listitem').first().waitFor({ timeout: 20_000 });
    const texts = await list.getByRole('listitem').allTextContents();
    expect(texts).toEqual([
      expect.stringMatching(/^Lunch agent has used 85% of its monthly budget of 100\.00 CNY: 15\.00 CNY left until it renews on 1 \w+\.$/),
      // Three taxis this month, and last month's too when it was within the last 30 days.
      expect.stringMatching(/^Errand agent asked you to confirm [34] payments at City Taxi in the last 30 days and you approved every one: a rule for City Taxi would save you those clicks\.$/),
      expect.stringMatching(/^You buy from Demo Tea Shop every week \(30\.00 CNY, 3 times so far\): the next is likely around \d+ \w+\.$/),
    ]);
    const recurring = spending().getByRole('region', { name: 'Recurring purchases' }).getByRole('listitem');
    expect(await recurring.allTextContents()).toEqual([expect.stringMatching(/^Demo Tea Shop: 30\.00 CNY every week, 3 times so far; next around \d+ \w+\.$/)]);

    // What a person sees, with the category table open.
    const section = spending().getByRole('region', { name: 'This month against last' });
    await openTable(section, 'CNY');
    const path = screenshotPath('wallet-spending.png');
    await wallet.setViewportSize({ width: 1000, height: 900 });
    await spending().screenshot({ path });
  });
});
