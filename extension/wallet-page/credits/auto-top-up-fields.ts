import { type AutoTopUp, AutoTopUpSetting, formatMoney } from '@agentpay/protocol';
import { minorToText, parseAmount } from '../amount.ts';

/** The automatic top-up form as typed. */
export interface AutoTopUpFields {
  agentId: string;
  threshold: string;
  amount: string;
}

export type FieldKey = keyof AutoTopUpFields;
export interface FieldError {
  /** The field it is shown beside, or null when it concerns the whole form. */
  key: FieldKey | null;
  message: string;
}

/** The setting's current values, or empty amounts and the first agent that can pay. */
export function fieldsFrom(setting: AutoTopUp | null, agentIds: readonly string[]): AutoTopUpFields {
  if (!setting) return { agentId: agentIds[0] ?? '', threshold: '', amount: '' };
  return {
    agentId: setting.agent.id,
    threshold: minorToText(setting.threshold.minor, setting.threshold.currency),
    amount: minorToText(setting.amount.minor, setting.amount.currency),
  };
}

/** Which field a problem's path names: "autoTopUp.threshold.minor" (the relay's) or "threshold.minor" (the schema's). */
export function fieldOf(path: string): FieldKey | null {
  const first = path.replace(/^autoTopUp\./, '').split('.')[0];
  return first === 'agentId' || first === 'threshold' || first === 'amount' ? first : null;
}

/**
 * Reads the form into the setting the relay takes, in the account's currency, checked with the
 * protocol's own schema; every problem in words, beside the field it is about.
 */
export function buildSetting(fields: AutoTopUpFields, currency: string): { ok: true; setting: AutoTopUpSetting } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!fields.agentId) errors.push({ key: 'agentId', message: 'pick the agent whose mandate pays for the top-ups' });
  const zero = formatMoney({ minor: 0, currency });
  const amount = (key: 'threshold' | 'amount', above: string) => {
    const parsed = parseAmount(fields[key], currency);
    if (!parsed.ok) errors.push({ key, message: parsed.error });
    else if (parsed.value === 0) errors.push({ key, message: above.replace('ZERO', zero) });
    return parsed.ok ? parsed.value : 0;
  };
  const threshold = amount('threshold', 'the threshold must be more than ZERO: a top-up starts when the balance falls below it');
  const buy = amount('amount', 'the amount to buy must be more than ZERO');
  if (errors.length > 0) return { ok: false, errors };
  const parsed = AutoTopUpSetting.safeParse({ agentId: fields.agentId, threshold: { minor: threshold, currency }, amount: { minor: buy, currency } });
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((issue) => ({ key: fieldOf(issue.path.join('.')), message: issue.message })) };
  return { ok: true, setting: parsed.data };
}

/** A relay refusal's details, beside the fields they name (what names none stays with the refusal). */
export function relayFieldErrors(details: readonly { path: string; message: string }[] | undefined): FieldError[] {
  return (details ?? []).map((d) => ({ key: fieldOf(d.path), message: d.message })).filter((e) => e.key !== null);
}
