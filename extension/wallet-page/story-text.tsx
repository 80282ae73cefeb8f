import { PAYMENT_STATE_LABELS, type PaymentStory } from '@agentpay/protocol';
import { useEffect, useState } from 'preact/hooks';

/** Minutes and seconds until `iso`, e.g. "4:05"; null once it has passed. */
export function timeLeft(iso: string, now: number): string | null {
  const ms = new Date(iso).getTime() - now;
  if (ms <= 0) return null;
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The time left to answer, counting down each second; tells the page once it runs out, so it reads the relay's new story. */
function TimeLeft({ answerBy, onTimeUp }: { answerBy: string; onTimeUp?: () => void }) {
  const [now, setNow] = useState(Date.now());
  const left = timeLeft(answerBy, now);
  useEffect(() => {
    if (left === null) {
      onTimeUp?.();
      return;
    }
    const timer = setTimeout(() => setNow(Date.now()), 1000 - (now % 1000) || 1000);
    return () => clearTimeout(timer);
  }, [now, left === null]);
  return <span class="time-left">{left === null ? 'time is up' : `${left} left to answer`}</span>;
}

/**
 * Where a payment stands, in the words every view uses: the state's label
 * (PAYMENT_STATE_LABELS) and the relay's reason sentence, with the time left
 * while it awaits the user. Tasks and records show this same component, so
 * their wording cannot drift apart.
 */
export function StoryText({ story, onTimeUp }: { story: PaymentStory; onTimeUp?: () => void }) {
  return (
    <span class="story" data-state={story.state}>
      <span class={`stage ${story.state}`}>{PAYMENT_STATE_LABELS[story.state]}</span>
      {story.reason && <span class="reason"> {story.reason}</span>}
      {story.state === 'awaiting_you' && story.answerBy && (
        <>
          {' '}
          <TimeLeft answerBy={story.answerBy} onTimeUp={onTimeUp} />
        </>
      )}
    </span>
  );
}
