// Holds a form that carries a card and asks the worker for a window: AgentPay's first step, without its checks.
document.addEventListener(
  'submit',
  (event) => {
    if (!event.target.querySelector('[autocomplete="cc-number"]')) return;
    event.preventDefault();
    chrome.runtime.sendMessage({ type: 'open' });
  },
  true,
);
