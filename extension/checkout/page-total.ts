/**
 * The order total a checkout page shows, nearest the checkout first (a page
 * may show several: cart, shipping, order), in open shadow roots too, in
 * English, German, French, Spanish, Japanese and Chinese.
 */
import type { Money } from '@agentpay/protocol';
import type { MoneyContext } from './currency-symbols.ts';
import { composedParent, deepQueryAll, spacedText } from './deep-dom.ts';
import { pricesInText } from './money-text.ts';

/** Words a total line starts with; never a subtotal ("Subtotal", "Sous-total", "Zwischensumme", "小計"). */
export const TOTAL_WORDS = new RegExp(
  [
    String.raw`(?<![a-z-])(?<!sous-)(?<!sous )(?:grand |order |montant |importe |precio )?total(?![a-z])|amount due|to pay`,
    String.raw`gesamt(?:summe|betrag|preis)?|endbetrag|(?<![a-zäöü])summe|zu zahlen|montant à payer|net à payer|à payer|a pagar`,
    // Swedish, Norwegian, Danish, Dutch, Italian, Portuguese, Polish: the totals shops beside these languages show.
    String.raw`totalt|att betala|(?<![a-zäöå])summa|å betale|at betale|i alt|totaal|te betalen|totale|da pagare|a pagar|razem|do zapłaty`,
    '合計|お支払い?金額|ご請求金額|総額|お支払合計|合计|总计|总额|總計|總額|应付|实付|支付金额',
  ].join('|'),
  'gi',
);

const LINES = 'tr, tfoot, li, p, div, dl, dt, dd, span, th, td, strong, b, output, label, h2, h3, h4, section, table';

/** The first price after the last total word of a line: "Total 42,50 € (inkl. MwSt. 6,79 €)" is 42,50 €. */
function totalOfLine(text: string, context: MoneyContext): { money?: Money; unsure?: string } | null {
  const words = [...text.matchAll(TOTAL_WORDS)];
  const word = words[words.length - 1];
  if (!word) return null;
  const after = pricesInText(text.slice(word.index + word[0].length), context)[0];
  return after ?? pricesInText(text, context).at(-1) ?? null;
}

/**
 * The total nearest `scope`, with the element it was read from (its table or list may hold the
 * item lines), or throws saying why there is none: no total shown, or one whose currency the page leaves open.
 */
export function visibleTotalAt(
  doc: Document,
  scope: Element | null,
  context: MoneyContext,
  /** Throw at the first total whose currency is unsure rather than read a farther one (a hint may settle the nearer one). */
  options: { stopAtUnsure?: boolean } = {},
): { money: Money; element: Element } {
  const scopes: Element[] = [];
  for (let node: Element | null = scope; node && node !== doc.body; node = composedParent(node)) scopes.push(node);
  if (doc.body) scopes.push(doc.body);
  let unsure: string | undefined;
  const seen = new Set<Element>();
  for (const around of scopes) {
    for (const element of deepQueryAll(around, LINES)) {
      if (seen.has(element)) continue;
      seen.add(element);
      const text = spacedText(element);
      if (text.length > 200) continue;
      const total = totalOfLine(text, context);
      if (total?.money) return { money: total.money, element };
      unsure ??= total?.unsure;
      if (unsure && options.stopAtUnsure) throw new Error(`this checkout's total cannot be read safely: ${unsure}`);
    }
  }
  if (unsure) throw new Error(`this checkout's total cannot be read safely: ${unsure}`);
  throw new Error('this checkout does not show an order total the wallet can read, so it cannot be paid safely');
}
