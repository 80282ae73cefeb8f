import { useEffect, useState } from 'preact/hooks';

/** How long Approve stays disabled after the window is shown, so a click meant for something else cannot land on it. */
export const ARM_DELAY_MS = 1200;

/**
 * True once the window has been visible and focused for ARM_DELAY_MS without
 * interruption; losing focus or visibility starts the wait again.
 */
export function useArmed(resetKey: string): boolean {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const restart = () => {
      setArmed(false);
      clearTimeout(timer);
      if (document.visibilityState === 'visible') timer = setTimeout(() => setArmed(true), ARM_DELAY_MS);
    };
    restart();
    document.addEventListener('visibilitychange', restart);
    window.addEventListener('focus', restart);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', restart);
      window.removeEventListener('focus', restart);
    };
  }, [resetKey]);
  return armed;
}
