import { QuotaPeriod } from '@agentpay/protocol';
import { useId } from 'preact/hooks';
import { Field } from './field.tsx';
import type { QuotaFields as Quota } from './mandate-fields.ts';
import { CATEGORY_HINT } from './rule-fields.tsx';

/** The budget the agent spends freely each period. */
export function QuotaFields({ value, onChange }: { value: Quota; onChange: (value: Quota) => void }) {
  const set = <K extends keyof Quota>(key: K) => (v: Quota[K]) => onChange({ ...value, [key]: v });
  const periodId = useId();
  return (
    <fieldset>
      <legend>Budget (quota)</legend>
      <div class="row">
        <Field label="Budget" value={value.budget} onInput={set('budget')} inputMode="decimal" placeholder="1000.00" required />
        <Field label="Currency" value={value.currency} onInput={set('currency')} placeholder="CNY" required />
        <div class="field">
          <label for={periodId}>Period</label>
          <select id={periodId} value={value.period} onChange={(e) => set('period')(QuotaPeriod.parse(e.currentTarget.value))}>
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </div>
      </div>
      <Field label="Time zone" value={value.timeZone} onInput={set('timeZone')} hint="Periods start at midnight, on Monday, or on the 1st here." />
      <Field
        label="Max per payment"
        value={value.maxPerPayment}
        onInput={set('maxPerPayment')}
        inputMode="decimal"
        hint="Optional: the largest single payment, in the budget's currency."
      />
      <Field label="Categories" value={value.categories} onInput={set('categories')} hint={`Optional, comma-separated. ${CATEGORY_HINT}`} />
      <Field label="Merchants" value={value.merchants} onInput={set('merchants')} hint="Optional merchant ids (mer_…) you trust, comma-separated." />
    </fieldset>
  );
}
