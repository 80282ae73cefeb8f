import { useState } from 'preact/hooks';
import { type ErrorInfo, errorInfo } from './errors.ts';

/** Runs one async action for a button: busy while it runs, and its error kept next to it until the next try. */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);
  async function run(...args: A): Promise<T | undefined> {
    setBusy(true);
    setError(undefined);
    try {
      return await action(...args);
    } catch (caught) {
      setError(errorInfo(caught));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run, clear: () => setError(undefined) };
}
