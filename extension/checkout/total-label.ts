/**
 * Labels that only say "this is the total" in the languages the card fields
 * read (a Payment Request's `total.label` is most often just "Total"). Such a
 * label tells the user nothing about what is bought, so the window shows the
 * page's own title instead of a bare "Total".
 */
const BARE_TOTAL = /^(?:order\s+|grand\s+)?(?:total|sum|amount(?:\s+due)?|to\s+pay|gesamt(?:summe|betrag)?|summe|totale|importe(?:\s+total)?|montant(?:\s+total)?|合计|總計|总计|合計|お支払い金額|결제\s*금액)$/i;

/** The label when it says something of the order, else `fallback`. */
export function orderDescription(label: string | undefined, fallback: string): string {
  const words = (label ?? '').trim().replace(/[:：]$/, '').trim();
  return words && !BARE_TOTAL.test(words) ? words : fallback;
}
