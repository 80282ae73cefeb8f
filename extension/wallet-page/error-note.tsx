import type { ErrorInfo } from './errors.ts';

/** A refusal shown next to the action that caused it, read out when it appears. */
export function ErrorNote({ error }: { error: ErrorInfo | undefined }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <code>{error.code}</code> {error.message}
      {error.details && error.details.length > 0 && (
        <ul>
          {error.details.map((d) => (
            <li key={d.path}>
              {d.path}: {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
