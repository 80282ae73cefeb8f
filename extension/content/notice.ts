/**
 * A small notice at the top of the page saying what the wallet is doing with
 * a held checkout (waiting for approval, refused and why). It lives in a
 * shadow root so the page's styles neither hide nor restyle it.
 */
let host: HTMLElement | undefined;
let text: HTMLElement | undefined;

export function showNotice(message: string, tone: 'info' | 'error'): void {
  if (!host) {
    host = document.createElement('agentpay-notice');
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>
      div { position: fixed; z-index: 2147483647; top: 12px; right: 12px; max-width: 420px; padding: 10px 14px;
            font: 14px/1.4 system-ui, sans-serif; border-radius: 8px; box-shadow: 0 2px 12px rgba(0,0,0,.25); }
      .info { background: #eef3ff; color: #1b2f5e; border: 1px solid #9db4f0; }
      .error { background: #fdecea; color: #611a15; border: 1px solid #f1a199; }</style><div role="status"></div>`;
    text = root.querySelector('div')!;
    document.documentElement.append(host);
  }
  text!.className = tone;
  text!.textContent = `AgentPay: ${message}`;
  text!.setAttribute('role', tone === 'error' ? 'alert' : 'status');
}

export function hideNotice(): void {
  host?.remove();
  host = undefined;
}
