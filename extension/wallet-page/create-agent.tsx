import { useId, useState } from 'preact/hooks';
import { createAgent } from './api.ts';
import { ErrorNote } from './error-note.tsx';
import { useAction } from './use-action.ts';

/**
 * Creates a browser agent whose key this extension keeps (the background registers it at the relay).
 * `created` is the name of the agent just made, said until the user does something else (the section clears it).
 */
export function CreateAgent({ created, onCreated }: { created: string | undefined; onCreated: (actorId: string, name: string) => void }) {
  const [name, setName] = useState('');
  const create = useAction(createAgent);
  const id = useId();

  async function submit(event: Event) {
    event.preventDefault();
    const actorId = await create.run(name.trim());
    if (!actorId) return;
    setName('');
    onCreated(actorId, name.trim());
  }

  return (
    <form class="create-agent" onSubmit={submit} aria-label="Create an agent">
      <div class="field">
        <label for={id}>Agent name</label>
        <input id={id} type="text" value={name} maxLength={120} placeholder="Shopping assistant" required onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <button type="submit" class="primary" disabled={create.busy || name.trim() === ''}>
        Create agent
      </button>
      {created && (
        <p class="ok" role="status">
          Created {created}. Until you set a mandate, you confirm each of its payments.
        </p>
      )}
      <ErrorNote error={create.error} />
    </form>
  );
}
