import { useEffect, useState } from 'preact/hooks';
import { timeLeft } from '../shared/waiting.ts';

/**
 * "4:32 left" until a held payment expires. A timer role is not announced on
 * every tick (its live region is off); the last minute is said once, politely.
 * At zero `onExpired` runs once.
 */
export function TimeLeft({ expiresAt, onExpired }: { expiresAt: string; onExpired: () => void }) {
  const [now, setNow] = useState(Date.now());
  const left = timeLeft(expiresAt, now);
  useEffect(() => {
    if (left.seconds === 0) {
      onExpired();
      return undefined;
    }
    // Wake at the next whole second of the countdown, so the display never skips or lags one.
    const timer = setTimeout(() => setNow(Date.now()), ((Date.parse(expiresAt) - Date.now()) % 1000) + 5);
    return () => clearTimeout(timer);
  }, [now, expiresAt, left.seconds === 0]);
  const urgent = left.seconds <= 60;
  return (
    <p class={`time-left${urgent ? ' urgent' : ''}`}>
      <span role="timer" aria-label="Time left to answer">{left.words}</span>
      {urgent && <span class="visually-hidden" aria-live="polite">Less than a minute left to answer.</span>}
    </p>
  );
}
