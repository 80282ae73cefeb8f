import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { interceptCardForms } from '../page/card-forms.ts';
import { holdCardImages } from '../page/card-images.ts';
import { holdCardRequests } from '../page/card-requests.ts';
import { answerPaymentRequired } from '../page/http-402.ts';
import { answerPaymentRequests } from '../page/payment-request.ts';
import { installProvider } from '../page/provider.ts';
import { keepChannelOpen } from '../page/channel.ts';
import { installHolds } from '../page/watch.ts';

/**
 * The main-world interceptor. It runs at document_start, before the page's
 * own scripts, in every frame (payment providers' card fields are frames of
 * their own), so it holds card form submits and requests that carry a card,
 * answers the Payment Request API and 402 answers, and offers `window.agentpay`
 * before a page can get around them. It holds no secrets and decides nothing:
 * it asks the isolated bridge of its frame. The holds and the 402 answerer
 * are installed only where an agent may be at work (page/watch.ts says
 * when): a person's own browser gets the provider and the Payment Request
 * answerer, and nothing else.
 *
 * Declared in wxt.config.ts's manifest, beside the loader, rather than as a WXT
 * content script: it runs in every frame of every page, and WXT's wrapper (an
 * async start and a logger) cost each of them a little.
 */
export default defineUnlistedScript({
  globalName: false,
  main() {
    installHolds(() => {
      // Before the 402 answerer, which wraps whatever fetch it finds: card holds sit underneath.
      holdCardRequests();
      answerPaymentRequired();
      holdCardImages();
      interceptCardForms();
      keepChannelOpen();
    });
    // A person's own page may ask for AgentPay itself, as a method of the Payment Request API or through window.agentpay.
    answerPaymentRequests();
    installProvider();
  },
});
