import { findAmount, findBareAmount, type FoundAmount } from './amounts.ts';
import { findCategory } from './categories.ts';
import { type Meaning, yesOrRequest } from './utterance.ts';

const PAY_VERB = /支付|付款|付钱|付|缴费|缴纳|缴|交费|交|转账|买单|结账|埋单/u;
const BARE_AMOUNT_VERB = /支付|付款|付钱|付|缴纳|缴|交/u;
/** 给茶叶店付… / 向茶叶店支付… */
const PAYEE_BEFORE_VERB = /(?:给|向)(.+?)(?:支付|付款|付钱|付|缴费|缴|交|转账)/u;
/** 付35块钱给茶叶店 / 转账给… */
const PAYEE_AFTER_VERB = /(?:支付|付款|付钱|付|转账)(?:.*?)给(.+)$/u;
/** "给我付停车费" asks for help paying; 我 is not the payee. */
const NOT_A_PAYEE = /^(?:我|我们|咱们|咱|你|您)$/u;
const TRAILING_FILLER = /(?:吧|啊|呀|了|哦|吗|呢|谢谢|一下|好吗)+$/u;

/** 要不要, 是不是, 好不好: a question whose 不 is no refusal. */
const A_NOT_A_QUESTION = /([^不\s])不\1/u;
/** Any of these anywhere (outside the payee's name) makes it a no; 不错 and 没问题, 没错 mean yes. */
const CANCEL = /取消|算了|别|拒绝|停止|暂停|等等|等一下|否|不(?!错)|没(?!问题|错)|\b(?:cancel|no|stop)\b/iu;
const QUESTION = /吗|呢$|多少|什么|怎么|为何|哪|几(?=[块元毛钱个])/u;
const CONFIRM_WORDS = /(?:支付|付款|付钱|付)吧|确认|确定|是的|是|对的|对|没错|好的|好|可以|行|同意|没问题|不错|okay|ok|yes|嗯嗯/giu;
const CONFIRM_FILLER = /请|帮我|麻烦你?|吧|啊|呀|了|嗯|哦|噢|那就|那|就|现在|支付|付款|付钱|付|一下|我|要|嘛|的|\s/gu;

function splitPayee(text: string, amount: FoundAmount | undefined): { payee?: string; rest: string } {
  const before = PAYEE_BEFORE_VERB.exec(text);
  const after = before ? null : PAYEE_AFTER_VERB.exec(text);
  const match = before ?? after;
  if (!match) return { rest: text };
  const start = before ? before.index + 1 : text.length - match[1]!.length;
  let end = start + match[1]!.length;
  if (amount && amount.start >= start && amount.start < end) end = amount.start;
  const payee = text.slice(start, end).replace(TRAILING_FILLER, '').trim();
  if (!payee || NOT_A_PAYEE.test(payee)) return { rest: text };
  return { payee, rest: `${text.slice(0, start)}${text.slice(end)}` };
}

function isConfirmation(text: string): boolean {
  const marked = text.replace(CONFIRM_WORDS, '✓');
  return marked.includes('✓') && marked.replace(CONFIRM_FILLER, '').replace(/✓/g, '') === '';
}

/** Reads a normalised Chinese transcript. Order: A-not-A questions, then no, other questions, yes, a request to pay. */
export function understandChinese(text: string, defaultCurrency: string | undefined): Meaning {
  const verb = PAY_VERB.test(text);
  const found = findAmount(text) ?? (verb && defaultCurrency ? findBareAmount(text, BARE_AMOUNT_VERB, defaultCurrency) : undefined);
  const { payee, rest } = verb ? splitPayee(text, found) : { payee: undefined, rest: text };
  if (A_NOT_A_QUESTION.test(rest)) return { kind: 'unknown' };
  if (CANCEL.test(rest)) return { kind: 'cancel' };
  if (QUESTION.test(rest)) return { kind: 'unknown' };
  return yesOrRequest({ verb: verb, found, category: findCategory(rest, 'zh'), payee }, () => isConfirmation(rest));
}
