/**
 * The card-field frames a payment provider serves, one cross-site iframe per
 * field, and the script a shop includes to mount them: shaped after Stripe
 * Elements (fetch), Braintree Hosted Fields (XMLHttpRequest) and Shopify's card
 * vault (fetch to a deposit endpoint, a session id back). The shop's page never
 * sees the card: it asks the number frame to tokenize by postMessage; that
 * frame gathers its sibling frames' values (postMessage, provider origin only),
 * posts the card to the provider's own server and answers with an id.
 */
import { esc, scriptJson } from './html.ts';

/** How one provider's fields behave. */
export interface FieldKit {
  /** Message type prefix, e.g. "paystream". */
  prefix: string;
  transport: 'fetch' | 'xhr';
  /** Where the number frame posts the card on the provider's origin. */
  tokenizePath: string;
  labels: { number: string; expiry: string; cvc: string };
}

export type FieldType = 'number' | 'expiry' | 'cvc';

/** One field's frame document: a bare input the provider styles, and the provider's frame script. */
export function fieldFrame(kit: FieldKit, type: FieldType, key: string, parentOrigin: string): string {
  const input = {
    number: '<input id="f" name="cardnumber" autocomplete="cc-number" inputmode="numeric" placeholder="1234 1234 1234 1234">',
    expiry: '<input id="f" name="exp-date" autocomplete="cc-exp" placeholder="MM / YY">',
    cvc: '<input id="f" name="cvc" autocomplete="cc-csc" inputmode="numeric" placeholder="CVC">',
  }[type];
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(kit.labels[type])}</title>
<style>body{margin:0}input{border:0;width:100%;font:15px system-ui;padding:.55rem;box-sizing:border-box;outline:none}</style></head>
<body><label for="f" style="position:absolute;left:-999px">${esc(kit.labels[type])}</label>${input}
<script>${FRAME_SCRIPT}(${scriptJson({ ...kit, type, key, parentOrigin })});</script></body></html>`;
}

/** Runs inside each field frame; plain JS, since it is sent to the browser as text. */
const FRAME_SCRIPT = `(function (config) {
  var input = document.getElementById('f');
  var me = location.origin;
  function send(body) {
    if (config.transport === 'fetch') {
      return fetch(config.tokenizePath, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        .then(function (r) { return r.json(); });
    }
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open('POST', config.tokenizePath);
      xhr.setRequestHeader('content-type', 'application/json');
      xhr.onload = function () { resolve(JSON.parse(xhr.responseText)); };
      xhr.onerror = function () { reject(new Error('network error')); };
      xhr.send(JSON.stringify(body));
    });
  }
  function collect(requestId) {
    // Ask every sibling frame; only this provider's frames (same origin) hear it and answer.
    var values = { number: input.value };
    return new Promise(function (done, fail) {
      var timer = setTimeout(function () { fail(new Error('card fields did not answer')); }, 5000);
      function listener(event) {
        if (event.origin !== me || !event.data || event.data.type !== config.prefix + ':value' || event.data.id !== requestId) return;
        values[event.data.field] = event.data.value;
        if ('expiry' in values && 'cvc' in values) {
          removeEventListener('message', listener);
          clearTimeout(timer);
          done(values);
        }
      }
      addEventListener('message', listener);
      for (var i = 0; i < parent.frames.length; i++) {
        if (parent.frames[i] !== window) parent.frames[i].postMessage({ type: config.prefix + ':collect', id: requestId }, me);
      }
    });
  }
  function tokenize(requestId) {
    return collect(requestId).then(function (values) {
      var parts = String(values.expiry).split('/').map(function (p) { return p.trim(); });
      return send({ key: config.key, card: { number: values.number, exp_month: parts[0], exp_year: parts[1], cvc: values.cvc } });
    });
  }
  addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object') return;
    if (data.type === config.prefix + ':collect' && event.origin === me) {
      event.source.postMessage({ type: config.prefix + ':value', id: data.id, field: config.type, value: input.value }, me);
    }
    if (data.type === config.prefix + ':tokenize' && config.type === 'number' && event.origin === config.parentOrigin) {
      tokenize(data.id).then(function (answer) {
        parent.postMessage({ type: config.prefix + ':result', id: data.id, paymentMethod: answer.id, error: answer.error }, config.parentOrigin);
      }, function (error) {
        parent.postMessage({ type: config.prefix + ':result', id: data.id, error: { message: error.message } }, config.parentOrigin);
      });
    }
  });
  input.addEventListener('input', function () {
    parent.postMessage({ type: config.prefix + ':change', field: config.type, empty: input.value === '' }, config.parentOrigin);
  });
})`;

/**
 * The script a shop includes from the provider (`<script src=".../js/NAME.js">`):
 * mounts the three frames into the shop's containers and tokenizes on demand.
 * `global` is the name it defines on window, e.g. "Paystream".
 */
export function mountScript(global: string, prefix: string, framePath: string): string {
  return `(function(){
  var origin = new URL(document.currentScript.src).origin;
  window[${JSON.stringify(global)}] = function (key) {
    var frames = {};
    return {
      mount: function (containers) {
        Object.keys(containers).forEach(function (type) {
          var iframe = document.createElement('iframe');
          iframe.name = '__${prefix}_' + type + '_' + Math.random().toString(36).slice(2, 8);
          iframe.title = 'Secure card ' + type + ' input frame';
          iframe.setAttribute('allow', 'payment');
          iframe.src = origin + ${JSON.stringify(framePath)} + '?type=' + type + '&key=' + encodeURIComponent(key) + '&parent=' + encodeURIComponent(location.origin);
          document.querySelector(containers[type]).appendChild(iframe);
          frames[type] = iframe;
        });
      },
      tokenize: function () {
        return new Promise(function (resolve, reject) {
          var id = Math.random().toString(36).slice(2);
          function onMessage(event) {
            if (event.origin !== origin || !event.data || event.data.type !== '${prefix}:result' || event.data.id !== id) return;
            window.removeEventListener('message', onMessage);
            if (event.data.error) reject(new Error(event.data.error.message)); else resolve(event.data.paymentMethod);
          }
          window.addEventListener('message', onMessage);
          frames.number.contentWindow.postMessage({ type: '${prefix}:tokenize', id: id }, origin);
        });
      }
    };
  };
})();`;
}
