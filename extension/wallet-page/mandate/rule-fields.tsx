import { CATEGORY_LABELS, type WalletMerchant } from '@agentpay/protocol';
import { Field } from '../field.tsx';
import { CheckboxGroup, ChoiceField } from './choices.tsx';
import { emptyRule, type FormDefaults, type RuleFields as Rule } from './fields.ts';
import { CATEGORY_OPTIONS, CHANNEL_OPTIONS, merchantOptions, NO_MERCHANTS_YET } from './options.ts';
import { TimeWindowFields } from './time-window-fields.tsx';

/** Conditional rules: each approves payments that meet all of its conditions; anything else asks the user. */
export function RuleFields(props: {
  rules: Rule[];
  onChange: (rules: Rule[]) => void;
  defaults: FormDefaults;
  merchants: readonly WalletMerchant[];
  errorFor: (key: string) => string | undefined;
  zonesId: string;
}) {
  const { rules } = props;
  const setRule = (index: number, change: Partial<Rule>) => props.onChange(rules.map((r, i) => (i === index ? { ...r, ...change } : r)));
  const nextRule = () => {
    let n = rules.length;
    while (rules.some((r) => r.id === `rule-${n + 1}`)) n++;
    return emptyRule(n, props.defaults);
  };
  return (
    <div class="rules">
      <p class="hint">A payment that meets every condition of a rule is paid without asking you; anything else asks you.</p>
      {rules.map((rule, index) => {
        const errorFor = (key: string) => props.errorFor(`rules.${index}.${key}`);
        return (
          <fieldset key={rule.id} class="rule">
            <legend>Rule {index + 1}</legend>
            <Field
              label="Description"
              value={rule.description}
              onInput={(v) => setRule(index, { description: v })}
              placeholder="Tea from my usual shop"
              hint="Your name for the rule: a payment it allows says so by this name."
            />
            <div class="row">
              <Field label="Max per payment" value={rule.maxPerPayment} onInput={(v) => setRule(index, { maxPerPayment: v })} inputMode="decimal" required error={errorFor('maxPerPayment')} />
              <Field label="Currency" value={rule.currency} onInput={(v) => setRule(index, { currency: v })} required error={errorFor('currency')} />
            </div>
            <div class="row">
              <ChoiceField
                label="Merchants"
                noun={{ one: 'merchant', many: 'merchants' }}
                options={merchantOptions(props.merchants, rule.merchants.picked)}
                value={rule.merchants}
                onChange={(merchants) => setRule(index, { merchants })}
                empty={NO_MERCHANTS_YET}
                error={errorFor('merchants')}
              />
              <ChoiceField
                label="Categories"
                noun={{ one: 'category', many: 'categories' }}
                options={CATEGORY_OPTIONS}
                value={rule.categories}
                onChange={(categories) => setRule(index, { categories })}
                error={errorFor('categories')}
              />
            </div>
            <CheckboxGroup
              legend="Started by"
              hint="None ticked: any way."
              options={CHANNEL_OPTIONS}
              picked={rule.channels}
              onChange={(channels) => setRule(index, { channels })}
            />
            <TimeWindowFields value={rule.timeWindow} onChange={(timeWindow) => setRule(index, { timeWindow })} errorFor={(key) => errorFor(key)} zonesId={props.zonesId} />
            {(rule.kept.merchants?.deny || rule.kept.categories?.deny) && (
              <p class="hint">
                Also kept as it was: never at{' '}
                {[
                  ...(rule.kept.merchants?.deny ?? []).map((id) => props.merchants.find((m) => m.id === id)?.name ?? id),
                  ...(rule.kept.categories?.deny ?? []).map((c) => CATEGORY_LABELS[c].toLowerCase()),
                ].join(', ')}
                .
              </p>
            )}
            <label class="choice">
              <input type="checkbox" checked={rule.whileDriving} onChange={(e) => setRule(index, { whileDriving: e.currentTarget.checked })} />
              <span>Only while the car is being driven</span>
            </label>
            {rules.length > 1 && (
              <div class="actions">
                <button type="button" onClick={() => props.onChange(rules.filter((_, i) => i !== index))}>
                  Remove rule {index + 1}
                </button>
              </div>
            )}
          </fieldset>
        );
      })}
      {props.errorFor('rules') && <p class="field-error">{props.errorFor('rules')}</p>}
      <button type="button" onClick={() => props.onChange([...rules, nextRule()])}>
        Add rule
      </button>
    </div>
  );
}
