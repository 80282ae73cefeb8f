import type { WalletTask } from '@agentpay/protocol';
import type { ActorView } from './api.ts';
import { ErrorNote } from './error-note.tsx';
import type { StreamStatus } from './event-stream.ts';
import { TaskItem } from './task-item.tsx';
import type { Loaded } from './use-wallet-data.ts';

function LiveStatus({ stream }: { stream: StreamStatus }) {
  const text =
    stream.state === 'live' ? 'Live' : stream.state === 'connecting' ? 'Connecting…' : `Reconnecting in ${Math.ceil(stream.inMs / 1000)} s (${stream.reason})`;
  return (
    <p class={`live ${stream.state}`} role="status">
      {text}
    </p>
  );
}

/**
 * What agents are doing right now, fed by the wallet's event stream. A task
 * runs until its story is final (the relay says so in `finished`); finished
 * ones are folded away, so a refused, expired or cancelled request never
 * lingers as running.
 */
export function TasksSection(props: {
  tasks: Loaded<WalletTask[]>; actors: ActorView[] | undefined; stream: StreamStatus; tick: number; onChanged: () => void;
}) {
  const tasks = props.tasks.data;
  const name = (actorId: string) => props.actors?.find((a) => a.id === actorId)?.name ?? actorId;
  const running = tasks?.filter((t) => !t.finished) ?? [];
  const finished = tasks?.filter((t) => t.finished) ?? [];
  const item = (t: WalletTask) => <TaskItem key={t.taskId} task={t} agentName={name(t.actorId)} tick={props.tick} onChanged={props.onChanged} />;
  return (
    <section aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">Running tasks</h2>
      <LiveStatus stream={props.stream} />
      <ErrorNote error={props.tasks.error} />
      {!tasks && !props.tasks.error && <p class="muted">Loading…</p>}
      {tasks && running.length === 0 && <p class="muted">No agent is working on anything right now.</p>}
      {running.length > 0 && (
        <ul class="tasks" aria-label="Running tasks">
          {running.map(item)}
        </ul>
      )}
      {finished.length > 0 && (
        <details>
          <summary>Finished recently ({finished.length})</summary>
          <ul class="tasks" aria-label="Finished tasks">
            {finished.map(item)}
          </ul>
        </details>
      )}
    </section>
  );
}
