import { defineContentScript } from 'wxt/utils/define-content-script';
import { interceptCardForms } from '../page/card-forms.ts';
import { answerPaymentRequired } from '../page/http-402.ts';
import { answerPaymentRequests } from '../page/payment-request.ts';
import { installProvider } from '../page/provider.ts';

/**
 * The main-world interceptor. It runs at document_start, before the page's
 * own scripts, so it holds card form submits, answers the Payment Request API
 * and 402 answers, and offers `window.agentpay` before a page can get around
 * them. It holds no secrets and decides nothing: it asks the isolated bridge.
 */
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  world: 'MAIN',
  globalName: false,
  main() {
    interceptCardForms();
    answerPaymentRequests();
    answerPaymentRequired();
    installProvider();
  },
});
