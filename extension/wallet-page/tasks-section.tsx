import type { ActorView, TaskView } from './api.ts';
import { ErrorNote } from './error-note.tsx';
import type { StreamStatus } from './event-stream.ts';
import { TaskItem } from './task-item.tsx';
import type { Loaded } from './use-wallet-data.ts';

const FINISHED = new Set(['paid', 'refunded', 'failed']);

function LiveStatus({ stream }: { stream: StreamStatus }) {
  const text =
    stream.state === 'live' ? 'Live' : stream.state === 'connecting' ? 'Connecting…' : `Reconnecting in ${Math.ceil(stream.inMs / 1000)} s (${stream.reason})`;
  return (
    <p class={`live ${stream.state}`} role="status">
      {text}
    </p>
  );
}

/** What agents are doing right now, fed by the wallet's event stream; finished tasks folded away. */
export function TasksSection(props: { tasks: Loaded<TaskView[]>; actors: ActorView[] | undefined; stream: StreamStatus; tick: number }) {
  const tasks = props.tasks.data;
  const name = (actorId: string) => props.actors?.find((a) => a.id === actorId)?.name ?? actorId;
  const running = tasks?.filter((t) => !FINISHED.has(t.stage)) ?? [];
  const finished = tasks?.filter((t) => FINISHED.has(t.stage)) ?? [];
  const item = (t: TaskView) => <TaskItem key={t.taskId} task={t} agentName={name(t.actorId)} tick={props.tick} />;
  return (
    <section aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">Running tasks</h2>
      <LiveStatus stream={props.stream} />
      <ErrorNote error={props.tasks.error} />
      {!tasks && !props.tasks.error && <p class="muted">Loading…</p>}
      {tasks && running.length === 0 && <p class="muted">No agent is working on anything right now.</p>}
      {running.length > 0 && <ul class="tasks">{running.map(item)}</ul>}
      {finished.length > 0 && (
        <details>
          <summary>Finished recently ({finished.length})</summary>
          <ul class="tasks">{finished.map(item)}</ul>
        </details>
      )}
    </section>
  );
}
