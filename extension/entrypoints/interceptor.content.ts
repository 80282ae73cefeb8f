import { defineContentScript } from 'wxt/utils/define-content-script';
import { interceptCardForms } from '../page/card-forms.ts';
import { holdCardImages } from '../page/card-images.ts';
import { holdCardRequests } from '../page/card-requests.ts';
import { answerPaymentRequired } from '../page/http-402.ts';
import { answerPaymentRequests } from '../page/payment-request.ts';
import { installProvider } from '../page/provider.ts';

/**
 * The main-world interceptor. It runs at document_start, before the page's
 * own scripts, in every frame (payment providers' card fields are frames of
 * their own), so it holds card form submits and requests that carry a card,
 * answers the Payment Request API and 402 answers, and offers `window.agentpay`
 * before a page can get around them. It holds no secrets and decides nothing:
 * it asks the isolated bridge of its frame.
 */
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  world: 'MAIN',
  allFrames: true,
  // Frames without a URL of their own (about:blank, srcdoc, blob:) are their creator's: hosted fields are often made so.
  matchAboutBlank: true,
  matchOriginAsFallback: true,
  globalName: false,
  main() {
    // Before the 402 answerer, which wraps whatever fetch it finds: card holds sit underneath.
    holdCardRequests();
    holdCardImages();
    interceptCardForms();
    answerPaymentRequests();
    answerPaymentRequired();
    installProvider();
  },
});
