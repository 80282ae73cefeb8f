import type { ActorStatus, WalletMerchant } from '@agentpay/protocol';
import { useState } from 'preact/hooks';
import { type ActorView, setStatus } from './api.ts';
import { ErrorNote } from './error-note.tsx';
import { browserTimeZone } from './mandate/fields.ts';
import { MandateForm } from './mandate/mandate-form.tsx';
import { mandateSentence } from './mandate/sentence.ts';
import { useAction } from './use-action.ts';

/** One agent or device: what it may do, and the switches to pause, resume, revoke or change that. */
export function AgentCard(props: { actor: ActorView; walletId: string; currency: string; merchants: readonly WalletMerchant[]; onChanged: () => void }) {
  const { actor } = props;
  const [editing, setEditing] = useState(false);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const change = useAction(async (status: ActorStatus) => {
    await setStatus(actor.id, status, actor.status);
    setConfirmRevoke(false);
    props.onChanged();
  });
  const revoked = actor.status === 'revoked';
  const headingId = `agent-${actor.id}`;

  return (
    <li class={`agent status-${actor.status}`} data-agent-id={actor.id} data-agent-name={actor.name} aria-labelledby={headingId}>
      <header>
        <h3 id={headingId}>{actor.name}</h3>
        <span class="badge">{actor.kind === 'device' && actor.profile ? `device · ${actor.profile}` : actor.kind}</span>
        <span class={`badge status ${actor.status}`} data-status={actor.status}>
          {actor.status}
        </span>
      </header>
      <p class="summary sentence" data-mandate-kind={actor.mandate?.kind ?? 'none'}>
        {mandateSentence(actor.mandate, {
          agentName: actor.name,
          merchantName: (id) => props.merchants.find((m) => m.id === id)?.name,
          timeZone: browserTimeZone(),
        })}
      </p>
      {!revoked && (
        <div class="actions">
          {actor.status === 'active' && (
            <button type="button" disabled={change.busy} onClick={() => void change.run('paused')}>
              Pause
            </button>
          )}
          {actor.status === 'paused' && (
            <button type="button" disabled={change.busy} onClick={() => void change.run('active')}>
              Resume
            </button>
          )}
          <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
            Edit mandate
          </button>
          <button type="button" class="danger" aria-expanded={confirmRevoke} onClick={() => setConfirmRevoke(true)}>
            Revoke
          </button>
        </div>
      )}
      {confirmRevoke && !revoked && (
        <div class="confirm" role="group" aria-label={`Revoke ${actor.name}?`}>
          <p>
            Revoke <strong>{actor.name}</strong>? It will never be able to pay again and its unused payment tokens end now. This is final.
          </p>
          <button type="button" class="danger" disabled={change.busy} onClick={() => void change.run('revoked')}>
            Yes, revoke
          </button>
          <button type="button" onClick={() => setConfirmRevoke(false)}>
            Cancel
          </button>
        </div>
      )}
      <ErrorNote error={change.error} />
      {editing && !revoked && (
        <MandateForm
          actor={actor}
          walletId={props.walletId}
          currency={props.currency}
          merchants={props.merchants}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            props.onChanged();
          }}
        />
      )}
    </li>
  );
}
