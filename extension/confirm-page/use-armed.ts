import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** How long Approve stays disabled after the window is shown, so a click meant for something else cannot land on it. */
export const ARM_DELAY_MS = 1200;

/**
 * Whether Approve may act: only once the window has been shown, and its focus
 * unchanged, for ARM_DELAY_MS. Focus arriving, focus leaving and the window
 * being hidden or shown all start the wait again. Returns the state to render
 * and a check for the click handler that reads the clock itself, since a click
 * that brings the window forward arrives before the re-render disarms the button.
 */
export function useArmed(resetKey: string): [armed: boolean, isArmedNow: () => boolean] {
  const [armed, setArmed] = useState(false);
  const armedAt = useRef(Number.POSITIVE_INFINITY);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const restart = () => {
      setArmed(false);
      clearTimeout(timer);
      armedAt.current = Number.POSITIVE_INFINITY;
      if (document.visibilityState !== 'visible') return;
      armedAt.current = performance.now() + ARM_DELAY_MS;
      timer = setTimeout(() => setArmed(true), ARM_DELAY_MS);
    };
    restart();
    const events = ['focus', 'blur'] as const;
    document.addEventListener('visibilitychange', restart);
    for (const name of events) window.addEventListener(name, restart);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', restart);
      for (const name of events) window.removeEventListener(name, restart);
    };
  }, [resetKey]);
  const isArmedNow = useCallback(() => performance.now() >= armedAt.current, []);
  return [armed, isArmedNow];
}
