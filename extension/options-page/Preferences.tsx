import { update } from '../shared/state.ts';
import { useStored } from '../ui/use-stored.ts';

/** What the extension holds besides agents' checkouts. */
export function Preferences() {
  const settings = useStored('settings');
  if (!settings) return null;
  return (
    <section>
      <h2>Preferences</h2>
      <label>
        <input
          type="checkbox"
          checked={settings.holdHumanCheckouts}
          onChange={(event) => {
            // Read now: currentTarget is gone once the event has been dispatched.
            const holdHumanCheckouts = (event.currentTarget as HTMLInputElement).checked;
            void update('settings', (s) => ({ ...s, holdHumanCheckouts }));
          }}
        />{' '}
        Also hold checkouts I make myself, and pay them with single-use tokens
      </label>
      <p class="muted">
        Checkouts driven by an agent (an automated browser, a page whose agent identified itself, or a tab you handed to an agent)
        are always held. A page already open when you turn this on is held once you reload it or go on to another page.
      </p>
    </section>
  );
}
