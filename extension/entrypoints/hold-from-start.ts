import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { HOLD_FROM_START_EVENT, HOLD_FROM_START_MARK } from '../shared/page-channel.ts';

/**
 * Registered by the background at document_start in the main world of every
 * frame while an agent may be at work in this browser (background/hold-from-start.ts).
 * Chromium runs it right after the interceptor, which installs its holds on
 * this signal, before any script of the page (or, run first, finds the mark).
 */
export default defineUnlistedScript({
  globalName: false,
  main() {
    Object.defineProperty(window, HOLD_FROM_START_MARK, { value: true });
    window.dispatchEvent(new Event(HOLD_FROM_START_EVENT));
  },
});
