import { CHANNEL_LABELS, categoryInSentence, type Category, formatMoney, type Mandate, type MandateDocument, type Rule, type TimeWindow } from '@agentpay/protocol';

/** What a sentence needs beyond the mandate: whose it is and what its merchants are called. */
export interface SentenceContext {
  agentName: string;
  /** The merchant's name, or undefined when this wallet does not know it. */
  merchantName: (id: string) => string | undefined;
  /** The reader's time zone: a mandate's own zone is named only when it differs. */
  timeZone: string;
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "A", "A or B", "A, B or C". */
export function orList(items: readonly string[], word = 'or'): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`;
}

const merchantList = (ids: readonly string[], ctx: SentenceContext, word = 'or') =>
  orList(ids.map((id) => ctx.merchantName(id) ?? `a shop this wallet does not know (${id})`), word);
const categoryList = (list: readonly Category[], word = 'or') => orList(list.map(categoryInSentence), word);

function daysText(days: readonly number[] | undefined): string {
  const set = [...new Set(days ?? [])].sort();
  if (set.length === 0 || set.length === 7) return 'any day';
  if (set.join() === '1,2,3,4,5') return 'on weekdays';
  if (set.join() === '0,6') return 'at weekends';
  return `on ${orList(set.map((d) => DAY_NAMES[d]!))}`;
}

const zoneText = (timeZone: string, ctx: SentenceContext) => (timeZone === ctx.timeZone ? '' : ` (${timeZone} time)`);

function windowText(w: TimeWindow, ctx: SentenceContext): string {
  return `${daysText(w.days)} from ${w.start} to ${w.end}${zoneText(w.timeZone, ctx)}`;
}

function ruleClause(rule: Rule, ctx: SentenceContext): string {
  const parts = [`up to ${formatMoney({ minor: rule.maxPerPaymentMinor, currency: rule.currency })} a payment`];
  if (rule.merchants?.allow) parts.push(`at ${merchantList(rule.merchants.allow, ctx)}`);
  if (rule.merchants?.deny) parts.push(`${rule.merchants.allow ? 'but not' : 'anywhere but'} ${merchantList(rule.merchants.deny, ctx)}`);
  if (rule.categories?.allow) parts.push(`on ${categoryList(rule.categories.allow)}`);
  if (rule.categories?.deny) parts.push(`${rule.categories.allow ? 'but not' : 'on anything but'} ${categoryList(rule.categories.deny)}`);
  if (rule.channels) parts.push(`by ${orList(rule.channels.map((c) => CHANNEL_LABELS[c]))}`);
  if (rule.timeWindow) parts.push(windowText(rule.timeWindow, ctx));
  if (rule.whileDriving) parts.push('while driving');
  return `${parts.join(' ')}${rule.description ? ` (“${rule.description}”)` : ''}`;
}

function blockText(doc: MandateDocument, ctx: SentenceContext): string {
  const merchants = doc.block.merchants.length ? merchantList(doc.block.merchants, ctx, 'and') : '';
  const categories = doc.block.categories.length ? categoryList(doc.block.categories, 'and') : '';
  const blocked = [merchants, categories].filter(Boolean);
  return blocked.length ? ` Always declined: ${blocked.join('; ')}.` : '';
}

/**
 * What the agent may do, as one sentence with names, never ids:
 * "Tea buyer may spend up to 500.00 CNY a month on physical goods; anything else asks you."
 */
export function mandateSentence(mandate: Pick<Mandate, 'document' | 'spent'> | null, ctx: SentenceContext): string {
  const who = ctx.agentName;
  if (!mandate) return `${who} has no mandate yet: every payment asks you.`;
  const doc = mandate.document;
  if (doc.kind === 'confirm_each') return `Every payment by ${who} asks you.${blockText(doc, ctx)}`;
  if (doc.kind === 'rules') {
    return `${who} may pay ${doc.rules.map((rule) => ruleClause(rule, ctx)).join('; or ')}; anything else asks you.${blockText(doc, ctx)}`;
  }
  const { currency } = doc.budget;
  const parts = [`${who} may spend up to ${formatMoney(doc.budget)} a ${doc.period}${zoneText(doc.timeZone, ctx)}`];
  if (doc.maxPerPaymentMinor !== undefined) parts.push(`at most ${formatMoney({ minor: doc.maxPerPaymentMinor, currency })} a payment`);
  const spend = `${parts.join(', ')}${doc.categories ? ` on ${categoryList(doc.categories)}` : ''}; anything else asks you.`;
  const spent = mandate.spent ? ` ${formatMoney(mandate.spent)} spent this ${doc.period}.` : '';
  const trusted = doc.merchants ? ` ${merchantList(doc.merchants, ctx, 'and')} ${doc.merchants.length === 1 ? 'is' : 'are'} trusted from the first purchase.` : '';
  return `${spend}${spent}${trusted}${blockText(doc, ctx)}`;
}
