import type { WalletMerchant } from '@agentpay/protocol';
import { useId, useState } from 'preact/hooks';
import { type ActorView, saveMandate } from '../api.ts';
import { ErrorNote } from '../error-note.tsx';
import { useAction } from '../use-action.ts';
import { BlockFields } from './block-fields.tsx';
import { buildMandate, type FieldError } from './build-mandate.ts';
import { browserTimeZone, fieldsFromMandate, issuedAfter, type MandateFields, type MandateKind } from './fields.ts';
import { timeZoneNames } from './options.ts';
import { QuotaFields } from './quota-fields.tsx';
import { RuleFields } from './rule-fields.tsx';
import './mandate.css';

const KINDS: { value: MandateKind; label: string }[] = [
  { value: 'confirm_each', label: 'Ask me before every payment' },
  { value: 'rules', label: 'Pay without asking when a rule fits' },
  { value: 'quota', label: 'A budget to spend freely' },
];

/** Keys the form shows beside a field; any other problem (the schema's own) is listed above the buttons. */
const SHOWN_BESIDE = /^(quota\.(budget|currency|timeZone|maxPerPayment)|rules(\.\d+\.(maxPerPayment|currency|merchants|categories|timeWindow\.(start|end|timeZone)))?)$/;

/**
 * Edits an agent's mandate: every rule the relay supports, merchants picked
 * by name, the browser's time zone by default. Builds the document exactly
 * as the protocol defines it, checks it with the protocol's schema, signs it
 * with the wallet's key and sets it at the relay.
 */
export function MandateForm(props: {
  actor: ActorView;
  walletId: string;
  currency: string;
  merchants: readonly WalletMerchant[];
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { actor } = props;
  const defaults = { currency: props.currency, timeZone: browserTimeZone() };
  const [fields, setFields] = useState<MandateFields>(() => fieldsFromMandate(actor.mandate?.document ?? null, defaults));
  // After a first try, problems follow the fields as they change: a fixed field stops saying it is wrong.
  const [tried, setTried] = useState(false);
  const save = useAction(saveMandate);
  const kindId = useId();
  const zonesId = useId();
  const ids = { walletId: props.walletId, actorId: actor.id };
  const problems: FieldError[] = (() => {
    if (!tried) return [];
    const built = buildMandate(fields, { ...ids, issuedAt: new Date(0).toISOString() });
    return built.ok ? [] : built.errors;
  })();
  const errorFor = (key: string) => problems.find((p) => p.key === key)?.message;
  const elsewhere = problems.filter((p) => !SHOWN_BESIDE.test(p.key));
  const beside = problems.length - elsewhere.length;

  async function submit(event: Event) {
    event.preventDefault();
    setTried(true);
    const issuedAt = issuedAfter(new Date(), actor.mandate?.document.issuedAt);
    const built = buildMandate(fields, { ...ids, issuedAt });
    if (!built.ok) return;
    if (await save.run(built.mandate)) props.onSaved();
  }

  return (
    <form class="mandate-form" aria-label={`Mandate for ${actor.name}`} onSubmit={submit} noValidate>
      <datalist id={zonesId}>
        {timeZoneNames().map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <div class="field">
        <label for={kindId}>Mandate kind</label>
        <select
          id={kindId}
          value={fields.kind}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setFields({ ...fields, kind: KINDS.find((k) => k.value === value)?.value ?? 'confirm_each' });
          }}
        >
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      {fields.kind === 'confirm_each' && <p class="hint">Every payment waits for you to confirm it in the AgentPay window.</p>}
      {fields.kind === 'rules' && (
        <RuleFields
          rules={fields.rules}
          defaults={defaults}
          merchants={props.merchants}
          errorFor={errorFor}
          zonesId={zonesId}
          onChange={(rules) => setFields({ ...fields, rules })}
        />
      )}
      {fields.kind === 'quota' && (
        <QuotaFields value={fields.quota} merchants={props.merchants} errorFor={errorFor} zonesId={zonesId} onChange={(quota) => setFields({ ...fields, quota })} />
      )}
      <BlockFields value={fields.block} merchants={props.merchants} onChange={(block) => setFields({ ...fields, block })} />
      {problems.length > 0 && (
        <div class="error" role="alert">
          <p>
            Nothing was saved.
            {beside > 0 && ` ${beside === 1 ? 'One field needs' : `${beside} fields need`} a change, as said beside ${beside === 1 ? 'it' : 'each'}.`}
          </p>
          {elsewhere.length > 0 && (
            <ul>
              {elsewhere.map((p, i) => (
                <li key={i}>{p.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <ErrorNote error={save.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={save.busy} aria-busy={save.busy}>
          Save mandate
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
