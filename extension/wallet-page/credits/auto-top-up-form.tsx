import { useId, useState } from 'preact/hooks';
import type { ActorView } from '../api.ts';
import { ErrorNote } from '../error-note.tsx';
import { Field } from '../field.tsx';
import { useAction } from '../use-action.ts';
import { saveAutoTopUp } from './api.ts';
import { type AutoTopUpFields, buildSetting, type FieldError, type FieldKey, fieldsFrom, relayFieldErrors } from './auto-top-up-fields.ts';
import { autoTopUpSentence, type VendorCredits } from './labels.ts';

const agentLabel = (a: ActorView) => `${a.name}${a.status === 'paused' ? ' (paused)' : ''}`;

/**
 * The automatic top-up of one vendor's credits: which agent buys (under its own mandate), below
 * what balance, and how much. Checked here with the protocol's schema before the relay sees it;
 * whatever the relay still refuses is said beside the field it names.
 */
export function AutoTopUpForm({ credits, actors, onChanged }: { credits: VendorCredits; actors: ActorView[]; onChanged: () => void }) {
  const currency = credits.balance.currency;
  // Agents only: the relay buys top-ups as an agent's payment; a device's are spoken or scanned.
  const agents = actors.filter((a) => a.kind === 'agent' && a.status !== 'revoked');
  const [fields, setFields] = useState<AutoTopUpFields>(() => fieldsFrom(credits.autoTopUp, agents.map((a) => a.id)));
  const [tried, setTried] = useState(false);
  const [done, setDone] = useState<string | undefined>(undefined);
  const save = useAction(saveAutoTopUp);
  const agentId = useId();
  const vendor = credits.vendor.name;

  const local: FieldError[] = (() => {
    if (!tried) return [];
    const built = buildSetting(fields, currency);
    return built.ok ? [] : built.errors;
  })();
  const problems = local.length > 0 ? local : relayFieldErrors(save.error?.details);
  const errorFor = (key: FieldKey) => problems.filter((p) => p.key === key).map((p) => p.message).join('; ') || undefined;
  const elsewhere = local.filter((p) => p.key === null);
  const beside = new Set(local.flatMap((p) => (p.key ? [p.key] : []))).size;
  const set = (key: FieldKey) => (value: string) => {
    setFields({ ...fields, [key]: value });
    setDone(undefined);
  };

  async function submit(event: Event) {
    event.preventDefault();
    setTried(true);
    setDone(undefined);
    const built = buildSetting(fields, currency);
    if (!built.ok) return;
    const saved = await save.run(credits.accountId, built.setting);
    if (saved === undefined) return;
    setDone(`Saved. ${autoTopUpSentence(saved)}`);
    onChanged();
  }

  async function turnOff() {
    setTried(false);
    setDone(undefined);
    if ((await save.run(credits.accountId, null)) === null) {
      setDone('Automatic top-up is off.');
      onChanged();
    }
  }

  const agentError = errorFor('agentId');
  return (
    <form class="auto-top-up" aria-label={`Automatic top-up at ${vendor}`} onSubmit={submit} noValidate>
      <h4>Automatic top-up</h4>
      <p class="sentence" data-auto-top-up={credits.autoTopUp ? 'on' : 'off'}>{autoTopUpSentence(credits.autoTopUp)}</p>
      {agents.length === 0 ? (
        <p class="muted">No agent can buy credits for you yet: create one under Agents, then come back.</p>
      ) : (
        <>
          <div class="row">
            <div class="field">
              <label for={agentId}>Agent that buys</label>
              <select
                id={agentId}
                value={fields.agentId}
                aria-invalid={agentError ? true : undefined}
                aria-describedby={`${agentId}-hint${agentError ? ` ${agentId}-error` : ''}`}
                onChange={(e) => set('agentId')(e.currentTarget.value)}
              >
                {!agents.some((a) => a.id === fields.agentId) && <option value="">Pick an agent</option>}
                {agents.map((a) => <option key={a.id} value={a.id}>{agentLabel(a)}</option>)}
              </select>
              <small id={`${agentId}-hint`} class="hint">It pays under its own mandate: beyond its budget you are asked.</small>
              {agentError && <small id={`${agentId}-error`} class="field-error">{agentError}</small>}
            </div>
            <Field label="When the balance falls below" value={fields.threshold} onInput={set('threshold')} inputMode="decimal" hint={`In ${currency}, such as 5.00.`} required error={errorFor('threshold')} />
            <Field label="Buy this much" value={fields.amount} onInput={set('amount')} inputMode="decimal" hint={`In ${currency}, such as 20.00.`} required error={errorFor('amount')} />
          </div>
          {local.length > 0 && (
            <div class="error" role="alert">
              <p>
                Nothing was saved.
                {beside > 0 && ` ${beside === 1 ? 'One field needs' : `${beside} fields need`} a change, as said beside ${beside === 1 ? 'it' : 'each'}.`}
              </p>
              {elsewhere.length > 0 && (
                <ul>
                  {elsewhere.map((p, i) => <li key={i}>{p.message}</li>)}
                </ul>
              )}
            </div>
          )}
          <ErrorNote error={save.error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={save.busy} aria-busy={save.busy}>
              Save automatic top-up
            </button>
            {credits.autoTopUp && (
              <button type="button" disabled={save.busy} onClick={() => void turnOff()}>
                Turn off
              </button>
            )}
          </div>
        </>
      )}
      {done && <p class="ok" role="status">{done}</p>}
    </form>
  );
}
