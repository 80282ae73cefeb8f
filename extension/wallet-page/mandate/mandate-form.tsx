import { useId, useState } from 'preact/hooks';
import { type ActorView, saveMandate } from './api.ts';
import { buildMandate, type FieldError } from './build-mandate.ts';
import { ErrorNote } from './error-note.tsx';
import { fieldsFromMandate, issuedAfter, type MandateFields, type MandateKind } from './mandate-fields.ts';
import { QuotaFields } from './quota-fields.tsx';
import { RuleFields } from './rule-fields.tsx';
import { useAction } from './use-action.ts';

const KINDS: { value: MandateKind; label: string }[] = [
  { value: 'confirm_each', label: 'Confirm each payment' },
  { value: 'rules', label: 'Conditional rules' },
  { value: 'quota', label: 'Budget (quota)' },
];

const localTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * Edits an agent's mandate: builds the document exactly as the protocol
 * defines it, checks it with the protocol's schema, signs it with the
 * wallet's key and sets it at the relay.
 */
export function MandateForm(props: { actor: ActorView; walletId: string; currency: string; onSaved: () => void; onCancel: () => void }) {
  const { actor } = props;
  const [fields, setFields] = useState<MandateFields>(() =>
    fieldsFromMandate(actor.mandate?.document ?? null, { currency: props.currency, timeZone: localTimeZone() }),
  );
  const [problems, setProblems] = useState<FieldError[]>([]);
  const save = useAction(saveMandate);
  const kindId = useId();

  async function submit(event: Event) {
    event.preventDefault();
    const issuedAt = issuedAfter(new Date(), actor.mandate?.document.issuedAt);
    const built = buildMandate(fields, { walletId: props.walletId, actorId: actor.id, issuedAt });
    setProblems(built.ok ? [] : built.errors);
    if (!built.ok) return;
    if (await save.run(built.mandate)) props.onSaved();
  }

  return (
    <form class="mandate-form" aria-label={`Mandate for ${actor.name}`} onSubmit={submit} noValidate>
      <div class="field">
        <label for={kindId}>Mandate kind</label>
        <select id={kindId} value={fields.kind} onChange={(e) => setFields({ ...fields, kind: e.currentTarget.value as MandateKind })}>
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      {fields.kind === 'confirm_each' && <p class="hint">Every payment waits for you to confirm it in the AgentPay window.</p>}
      {fields.kind === 'rules' && (
        <RuleFields rules={fields.rules} currency={props.currency} onChange={(rules) => setFields({ ...fields, rules })} />
      )}
      {fields.kind === 'quota' && <QuotaFields value={fields.quota} onChange={(quota) => setFields({ ...fields, quota })} />}
      {problems.length > 0 && (
        <div class="error" role="alert">
          <p>The mandate cannot be saved yet:</p>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                <strong>{p.field}</strong>: {p.message}
              </li>
            ))}
          </ul>
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
