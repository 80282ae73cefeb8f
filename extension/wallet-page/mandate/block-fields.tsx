import type { WalletMerchant } from '@agentpay/protocol';
import { CheckboxGroup } from './choices.tsx';
import type { MandateFields } from './fields.ts';
import { CATEGORY_OPTIONS, merchantOptions, NO_MERCHANTS_YET } from './options.ts';

/** What is always declined, whatever kind of mandate: the agent is refused without asking. */
export function BlockFields(props: { value: MandateFields['block']; onChange: (value: MandateFields['block']) => void; merchants: readonly WalletMerchant[] }) {
  const { value } = props;
  return (
    <details class="block" open={value.merchants.length + value.categories.length > 0}>
      <summary>Always decline</summary>
      <p class="hint">Payments to these shops or in these categories are declined without asking you.</p>
      <CheckboxGroup
        legend="Shops to decline"
        options={merchantOptions(props.merchants, value.merchants)}
        picked={value.merchants}
        onChange={(merchants) => props.onChange({ ...value, merchants })}
        empty={NO_MERCHANTS_YET}
      />
      <CheckboxGroup
        legend="Categories to decline"
        options={CATEGORY_OPTIONS}
        picked={value.categories}
        onChange={(categories) => props.onChange({ ...value, categories })}
      />
    </details>
  );
}
