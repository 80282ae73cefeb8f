import { browser } from 'wxt/browser';

/** Shown until the extension is paired with a relay: the options page is where that happens. */
export function NotPaired() {
  return (
    <section class="not-paired" aria-labelledby="not-paired-heading">
      <h2 id="not-paired-heading">Not paired yet</h2>
      <p>
        The AI Wallet shows your agents, what they bought and what they are doing. First pair AgentPay with your relay: enter the relay URL
        and its pairing code in the settings.
      </p>
      <p>
        <a
          href={browser.runtime.getURL('/options.html')}
          onClick={(event) => {
            event.preventDefault();
            void browser.runtime.openOptionsPage();
          }}
        >
          Open AgentPay settings
        </a>
      </p>
    </section>
  );
}
