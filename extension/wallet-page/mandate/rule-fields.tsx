import { Category } from '@agentpay/protocol';
import { Field } from './field.tsx';
import { emptyRule, type RuleFields as Rule } from './mandate-fields.ts';

export const CATEGORY_HINT = `One or more of: ${Category.options.join(', ')}.`;

const keptNames: Record<string, string> = {
  timeWindow: 'its time window', whileDriving: 'only while driving', channels: 'its channels', merchants: 'blocked merchants', categories: 'blocked categories',
};

/** Conditional rules: each approves payments that meet all of its conditions. */
export function RuleFields({ rules, onChange, currency }: { rules: Rule[]; onChange: (rules: Rule[]) => void; currency: string }) {
  const setRule = (index: number, change: Partial<Rule>) => onChange(rules.map((r, i) => (i === index ? { ...r, ...change } : r)));
  const nextId = () => {
    let n = rules.length;
    while (rules.some((r) => r.id === `rule-${n + 1}`)) n++;
    return emptyRule(n, currency);
  };
  return (
    <div class="rules">
      {rules.map((rule, index) => {
        const kept = Object.keys(rule.kept).map((k) => keptNames[k] ?? k);
        return (
          <fieldset key={rule.id}>
            <legend>Rule {index + 1}</legend>
            <Field label="Description" value={rule.description} onInput={(v) => setRule(index, { description: v })} placeholder="groceries at my usual shop" />
            <div class="row">
              <Field label="Max per payment" value={rule.maxPerPayment} onInput={(v) => setRule(index, { maxPerPayment: v })} inputMode="decimal" required />
              <Field label="Currency" value={rule.currency} onInput={(v) => setRule(index, { currency: v })} required />
            </div>
            <Field label="Categories" value={rule.categories} onInput={(v) => setRule(index, { categories: v })} hint={`Allowed categories, comma-separated; empty allows any. ${CATEGORY_HINT}`} />
            <Field label="Merchants" value={rule.merchants} onInput={(v) => setRule(index, { merchants: v })} hint="Optional: allowed merchant ids (mer_…), comma-separated; empty allows any." />
            {kept.length > 0 && <p class="hint">Also keeps, unchanged: {kept.join(', ')}.</p>}
            {rules.length > 1 && (
              <button type="button" onClick={() => onChange(rules.filter((_, i) => i !== index))}>
                Remove rule {index + 1}
              </button>
            )}
          </fieldset>
        );
      })}
      <button type="button" onClick={() => onChange([...rules, nextId()])}>
        Add rule
      </button>
    </div>
  );
}
