import { QuotaPeriod, type WalletMerchant } from '@agentpay/protocol';
import { useId } from 'preact/hooks';
import { Field } from '../field.tsx';
import { CheckboxGroup } from './choices.tsx';
import type { QuotaFields as Quota } from './fields.ts';
import { CATEGORY_OPTIONS, merchantOptions, NO_MERCHANTS_YET } from './options.ts';

const PERIODS: Record<QuotaPeriod, string> = { day: 'Each day', week: 'Each week (from Monday)', month: 'Each month (from the 1st)' };

/** The budget the agent spends freely each period. */
export function QuotaFields(props: {
  value: Quota;
  onChange: (value: Quota) => void;
  merchants: readonly WalletMerchant[];
  errorFor: (key: string) => string | undefined;
  zonesId: string;
}) {
  const { value } = props;
  const set = <K extends keyof Quota>(key: K) => (v: Quota[K]) => props.onChange({ ...value, [key]: v });
  const error = (key: string) => props.errorFor(`quota.${key}`);
  const periodId = useId();
  return (
    <fieldset>
      <legend>Budget (quota)</legend>
      <div class="row">
        {/* Hints, not placeholders: a grey "1000.00" in an empty box reads as a budget already set. */}
        <Field label="Budget" value={value.budget} onInput={set('budget')} inputMode="decimal" hint="What it may spend each period, such as 500.00." required error={error('budget')} />
        <Field label="Currency" value={value.currency} onInput={set('currency')} hint="Three letters, such as CNY or EUR." required error={error('currency')} />
        <div class="field">
          <label for={periodId}>Period</label>
          <select id={periodId} value={value.period} onChange={(e) => set('period')(QuotaPeriod.parse(e.currentTarget.value))}>
            {QuotaPeriod.options.map((p) => (
              <option key={p} value={p}>
                {PERIODS[p]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="row">
        <Field
          label="Time zone"
          value={value.timeZone}
          onInput={set('timeZone')}
          list={props.zonesId}
          hint="Where the day, week or month starts; your browser's by default."
          error={error('timeZone')}
        />
        <Field
          label="Max per payment"
          value={value.maxPerPayment}
          onInput={set('maxPerPayment')}
          inputMode="decimal"
          hint="Optional: the largest single payment, in the budget's currency."
          error={error('maxPerPayment')}
        />
      </div>
      <CheckboxGroup legend="Categories the budget covers" hint="None ticked: any category." options={CATEGORY_OPTIONS} picked={value.categories} onChange={set('categories')} />
      <CheckboxGroup
        legend="Shops you trust"
        hint="Optional. Their first payment is not treated as one to a new shop; the budget still covers any shop."
        options={merchantOptions(props.merchants, value.merchants)}
        picked={value.merchants}
        onChange={set('merchants')}
        empty={NO_MERCHANTS_YET}
      />
    </fieldset>
  );
}
