import { browser, type Browser } from 'wxt/browser';
import { type ConfirmState, ContentMessage, PageCommand, type QrAnswer, type Reply } from '../shared/messages.ts';
import { pairing } from '../shared/relay.ts';
import { read, update } from '../shared/state.ts';
import { agentFor, AUTOMATION_AGENT, claimedAgentName, SELF_AGENT } from './agents.ts';
import { beginCheckout, confirmationAnswered, rejectAll, settle } from './checkouts.ts';
import { amountGiven, amountRefused, refuseAllAmounts } from './amounts.ts';
import { dismissOutcome, refreshOutcomes } from './outcomes.ts';
import { expireRequest } from './request-end.ts';
import { describeFailure } from './failure.ts';
import { checkingFailed, dropStaleChecks, forgetDecision } from './early-window.ts';
import { syncHoldFromStart } from './hold-from-start.ts';
import { injectFullBridge, startWatching } from './inject.ts';
import { notify } from './notify.ts';
import { confirmWindowClosing, openConfirmWindow } from './pending.ts';
import { payQrCode, readPaymentQr, refuseForeignCode } from './qr.ts';
import { unpair } from './unpair.ts';

type Sender = Browser.runtime.MessageSender;

/**
 * Every message the background accepts, validated by sender: content scripts
 * may only ask to pay (the tab and origin are taken from the browser), and
 * only the extension's own pages may report an answer or change settings.
 */
export async function route(message: unknown, sender: Sender): Promise<Reply> {
  try {
    return { ok: true, value: isExtensionPage(sender) ? await fromExtensionPage(message, sender) : await fromContentScript(message, sender) };
  } catch (error) {
    return { ok: false, error: describeFailure(error) };
  }
}

function isExtensionPage(sender: Sender): boolean {
  return sender.id === browser.runtime.id && !!sender.url?.startsWith(browser.runtime.getURL('/'));
}

async function fromExtensionPage(raw: unknown, sender: Sender): Promise<unknown> {
  const command = PageCommand.parse(raw);
  switch (command.type) {
    case 'confirmation.answered':
      await confirmationAnswered(command.intentId, command.decision);
      return null;
    case 'tab.hand':
      await update('handedTabs', (tabs) => ({ ...tabs, [command.tabId]: command.agentName }));
      await syncHoldFromStart();
      // Held from now on, even if the reload below never happens (the page asks "Leave site?" and the
      // person stays, or will not send a form again)...
      await startWatching(command.tabId);
      // ...and loaded again, with the holds in place before its first script: a request the page opened
      // or a `form.submit` it kept before now could otherwise get around them.
      await browser.tabs.reload(command.tabId);
      return null;
    case 'confirm.closing':
      await confirmWindowClosing(sender.tab?.windowId);
      return null;
    case 'confirm.open':
      await openConfirmWindow();
      return null;
    case 'amount.given':
      // A bad amount comes back to the window to say; anything after it ends at the page, with the reason.
      await amountGiven(command.checkoutId, command.amount);
      return null;
    case 'amount.refused':
      await amountRefused(command.checkoutId);
      return null;
    case 'request.expired':
      await expireRequest(command.intentId);
      return null;
    case 'confirm.state': {
      const [pending, amountRequests, outcomes, checking] = await Promise.all([read('pending'), read('amountRequests'), read('outcomes'), read('checking')]);
      return { pending, amountRequests, outcomes, checking } satisfies ConfirmState;
    }
    case 'confirm.rejectAll':
      await refuseAllAmounts('you rejected all waiting payments, so this checkout was rejected; nothing was paid');
      await rejectAll(await read('pending'), 'you rejected this payment; nothing was paid');
      return null;
    case 'outcome.dismiss':
      await dismissOutcome(command.id);
      return null;
    case 'outcomes.refresh':
      await dropStaleChecks();
      await refreshOutcomes();
      return null;
    case 'mandate.saved':
      await forgetDecision(command.actorId);
      return null;
    case 'agent.create':
      return { actorId: await agentFor(command.name) };
    case 'wallet.unpair':
      return unpair({ localOnly: command.localOnly });
  }
}

async function fromContentScript(raw: unknown, sender: Sender): Promise<unknown> {
  const tabId = sender.tab?.id;
  if (tabId === undefined || !sender.url) throw new Error('messages are accepted from tabs and extension pages only');
  const message = ContentMessage.parse(raw);
  // An about:blank or srcdoc frame has its creator's origin, which only sender.origin tells.
  const origin = sender.origin && sender.origin !== 'null' ? sender.origin : new URL(sender.url).origin;
  const source = { tabId, frameId: sender.frameId ?? 0, origin, topOrigin: URL.parse(sender.tab?.url ?? '')?.origin ?? origin };
  const handedTo = (await read('handedTabs'))[tabId];
  if (message.type === 'tab.watch?') return { watch: handedTo !== undefined || (await read('settings')).holdHumanCheckouts };
  if (message.type === 'bridge.load') return injectFullBridge(tabId, source.frameId);
  // A QR image is read before anything else: only a payment code may lead to something the user sees.
  const qr = message.type === 'qr.begin' ? await readPaymentQr(message.imageUrl, source) : undefined;
  if (qr === null) return { paymentCode: false } satisfies QrAnswer;
  if (qr?.kind === 'emvco') refuseForeignCode(qr);

  // Who pays: the agent the user handed this tab to; else the agent the page names, kept to this
  // site (a page's word can never pick an agent the user gave a mandate elsewhere); else the
  // browser's automation; else, if the user opted in, the user.
  const claimed = message.type === 'checkout.begin' ? message.agent?.name : undefined;
  const agentName =
    handedTo ??
    (claimed ? claimedAgentName(claimed, source.origin) : undefined) ??
    (message.automation ? AUTOMATION_AGENT : (await read('settings')).holdHumanCheckouts ? SELF_AGENT : null);
  if (!agentName) throw new Error('this checkout is not driven by an agent, and holding your own checkouts is off');

  // Answer the page at once; the outcome follows as `checkout.settled`, which survives a restarted worker.
  const started =
    message.type === 'checkout.begin'
      ? beginCheckout({ checkoutId: message.checkoutId, shape: message.shape, order: message.order, card: message.card, agentName, claimed: !handedTo && !!claimed }, source)
      : payQrCode({ checkoutId: message.checkoutId, text: qr?.text ?? '', agentName }, source);
  started.catch(async (error: unknown) => {
    const relayUrl = await pairing().then((p) => p.relayUrl, () => undefined);
    const failure = describeFailure(error, relayUrl);
    await settle({ checkoutId: message.checkoutId, ...source }, { ok: false, error: failure });
    await checkingFailed(message.checkoutId, failure);
    await notify('AgentPay held a checkout', failure.message);
  });
  return qr ? ({ accepted: true, paymentCode: true } satisfies QrAnswer & { accepted: true }) : { accepted: true };
}
