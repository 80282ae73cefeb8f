import type { Category } from '@agentpay/protocol';
import type { Language } from './text.ts';

/**
 * Words that name what is being paid for, per language. Order matters: the
 * first category whose words appear wins, so the specific ones come first
 * (停车费 contains 车费, a fare; "charging" must not be taken for a charge).
 * Payee names are not searched: "Joe's Coffee" says who, not what.
 */
const CATEGORY_WORDS: Record<Language, ReadonlyArray<[Category, RegExp]>> = {
  en: [
    ['parking', /\b(?:parking|car ?park)\b/i],
    ['tolls', /\b(?:tolls?|toll ?road|turnpike|highway fee|bridge fee|tunnel fee)\b/i],
    ['ev_charging', /\b(?:(?:ev |car |battery )?charging|chargers?|recharg(?:e|ing))\b/i],
    ['fuel', /\b(?:fuel|gas|petrol|diesel|gasoline|fill(?:ing)? up)\b/i],
    ['transport', /\b(?:taxi|cab|bus|metro|subway|train|tram|ferry|fare|ride)\b/i],
    ['travel', /\b(?:hotel|flight|airfare|plane ticket)\b/i],
    ['groceries', /\b(?:grocery|groceries|supermarket)\b/i],
    ['food', /\b(?:food|lunch|dinner|breakfast|meal|takeaway|takeout|restaurant|coffee|drinks?)\b/i],
    ['entertainment', /\b(?:movie|cinema|concert|show tickets?)\b/i],
    ['services', /\b(?:car ?wash|repair|service fee|servicing)\b/i],
  ],
  zh: [
    ['parking', /停车|车位/u],
    ['tolls', /过路|通行费|高速费|过桥|路桥费|隧道费/u],
    ['ev_charging', /充电/u],
    ['fuel', /加油|油费|油钱|汽油|柴油/u],
    ['transport', /车费|交通费|打车|出租车|的士|地铁|公交|车票|高铁|火车|船票/u],
    ['travel', /酒店|机票|住宿|宾馆|旅馆/u],
    ['groceries', /超市|买菜|菜钱|杂货/u],
    ['food', /饭|餐|外卖|咖啡|奶茶|早点|小吃/u],
    ['entertainment', /电影|门票|演出|演唱会/u],
    ['services', /洗车|维修|修车|保养|服务费/u],
  ],
};

/** What the payment is for, from the words said (payee left out), if a known category is named. */
export function findCategory(text: string, lang: Language): Category | undefined {
  return CATEGORY_WORDS[lang].find(([, words]) => words.test(text))?.[0];
}
