/**
 * The item lines a checkout page shows beside its total, for the window's "What is bought" when the
 * shop publishes no structured order: the rows of the table (or list) the total closes. Taken only
 * when every row reads as a name and a price and the rows add up to exactly the total, so the user
 * is never shown items that do not make up what is paid.
 */
import { LineItem, type Money } from '@agentpay/protocol';
import type { MoneyContext } from './currency-symbols.ts';
import { spacedText } from './deep-dom.ts';
import { pricesInText } from './money-text.ts';
import { TOTAL_WORDS } from './page-total.ts';

/** Rows a summary may have besides items: subtotal, shipping, tax, discount. Any of them and the lines are not taken. */
const NOT_AN_ITEM = /subtotal|sous-total|zwischensumme|小計|小计|shipping|delivery|versand|livraison|envío|送料|运费|tax|vat|mwst|tva|iva|税|discount|rabatt|remise|descuento|割引|优惠|coupon/i;

/** "2 × 35.00 CNY", "2 x 35,00 €", "Qty 2": how many, when the row says. */
const QUANTITY = /(?:^|\s)(\d{1,3})\s*[×x*]\s|(?:qty|quantity|menge|quantité|cantidad|数量)\s*:?\s*(\d{1,3})/i;

const MAX_LINES = 50;
/** TOTAL_WORDS without its global flag, whose lastIndex would carry from one test to the next. */
const TOTAL = new RegExp(TOTAL_WORDS.source, 'i');

/** The item lines around the element the total was read from, or none. */
export function linesBeside(totalElement: Element, total: Money, context: MoneyContext): LineItem[] {
  // The total may have been read from a cell, its row, or the whole (short) table: its row is what the items are beside.
  const totalRow = totalElement.closest('tr, li') ?? [...totalElement.querySelectorAll('tr, li')].filter((row) => TOTAL.test(spacedText(row))).at(-1);
  const table = totalRow?.closest('table, ul, ol');
  if (!totalRow || !table) return [];
  const rows = [...table.querySelectorAll(table.tagName === 'TABLE' ? 'tr' : 'li')].filter((row) => !row.contains(totalRow) && !totalRow.contains(row));
  const lines: LineItem[] = [];
  for (const row of rows) {
    if (row.querySelector('th') && !row.querySelector('td')) continue; // a header row
    const text = spacedText(row);
    if (TOTAL.test(text) || NOT_AN_ITEM.test(text)) return [];
    const line = lineOf(row, text, total.currency, context);
    if (!line) return [];
    lines.push(line);
  }
  if (lines.length === 0 || lines.length > MAX_LINES) return [];
  return lines.reduce((sum, l) => sum + l.quantity * l.unitMinor, 0) === total.minor ? lines : [];
}

function lineOf(row: Element, text: string, currency: string, context: MoneyContext): LineItem | null {
  const prices = pricesInText(text, context).filter((p) => p.money?.currency === currency);
  const lineTotal = prices.at(-1)?.money;
  if (!lineTotal) return null;
  // A table row's name is its first cell; a list item's, what comes before its first price.
  const firstCell = row.querySelector('td, th');
  const name = (firstCell ? spacedText(firstCell) : text.slice(0, prices[0]!.index).replace(QUANTITY, ' ')).trim().slice(0, 200);
  if (!name || /^\d/.test(name)) return null;
  const counted = QUANTITY.exec(text);
  const quantity = Number(counted?.[1] ?? counted?.[2] ?? 1);
  if (quantity < 1 || lineTotal.minor % quantity !== 0) return null;
  // A name the relay would refuse (control characters, say) would fail the payment: no lines then.
  const line = LineItem.safeParse({ name, quantity, unitMinor: lineTotal.minor / quantity });
  return line.success ? line.data : null;
}
