import { formatMoney, type WalletTask } from '@agentpay/protocol';
import { useEffect, useState } from 'preact/hooks';
import { type TimelineStep, taskTimeline } from './api.ts';
import { ErrorNote } from './error-note.tsx';
import { type ErrorInfo, errorInfo } from './errors.ts';
import { StoryText } from './story-text.tsx';

export const stageLabel = (stage: string) => stage.replaceAll('_', ' ');
const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A task with its story (the same words as its payment's record) and latest step; its whole timeline on request, kept current as events arrive. */
export function TaskItem({ task, agentName, tick, onChanged }: { task: WalletTask; agentName: string; tick: number; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  const [steps, setSteps] = useState<TimelineStep[] | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);

  useEffect(() => {
    if (!open) return;
    let current = true;
    taskTimeline(task.taskId).then(
      (s) => current && (setSteps(s), setError(undefined)),
      (e: unknown) => current && setError(errorInfo(e)),
    );
    return () => {
      current = false;
    };
  }, [open, tick, task.taskId]);

  return (
    <li class="task" data-task-id={task.taskId} data-state={task.story.state} aria-label={`${agentName}'s task`}>
      <div class="task-line">
        <span>
          <strong>{agentName}</strong>
          {task.payment && ` · ${formatMoney(task.payment.amount)} at ${task.payment.merchantName}`}
          {/* The agent's last words only while it works: once the story is final they would contradict it ("waiting for you"). */}
          {task.message && !task.finished && <span class="muted"> ({task.message})</span>}
        </span>
        <time class="muted" dateTime={task.at}>
          {time(task.at)}
        </time>
        <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide steps' : 'Show steps'}
        </button>
      </div>
      <StoryText story={task.story} onTimeUp={onChanged} />
      {open && (
        <div class="timeline">
          <ErrorNote error={error} />
          {!steps && !error && <p class="muted">Loading…</p>}
          {steps && (
            <ol>
              {steps.map((step, i) => (
                <li key={i}>
                  <time dateTime={step.at}>{time(step.at)}</time> <span class={`stage ${step.stage}`}>{stageLabel(step.stage)}</span>
                  {step.message && ` ${step.message}`}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </li>
  );
}
