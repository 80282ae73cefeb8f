/**
 * Single-page checkouts whose script sends the card: JSON with fetch from a
 * button (no <form>, a tiny React-like render), a <form> whose submit handler
 * prevents the post and fetches, XMLHttpRequest form-encoded (jQuery.ajax era),
 * multipart FormData, an analytics beacon that serialises the whole form, four
 * inputs sent as cc1..cc4, and a legacy GET form with the card in the query.
 */
import { cardInputs, type CardPageSpec, mountCardPage, type PageInfo } from '../card-form.ts';
import type { Shop } from '../shop.ts';

const field = (f: Record<string, unknown>, key: string) => (f.card as Record<string, unknown> | undefined)?.[key];
const inputs = (prefix = 'card') => cardInputs({ name: 'Cardholder name', number: 'Card number', expiry: 'Expiry (MM/YY)', cvc: 'CVC' }, { name: 'holder', number: 'number', expiry: 'expiry', cvc: 'cvc' }, true, prefix);
const show = `function show(r){document.getElementById('result').innerHTML=r.paid?'<p class="ok">Thank you! Order '+r.orderId+' is paid.</p>':'<p class="error" role="alert">'+r.message+'</p>';}`;
const postJson = (path: string, body: string) => `fetch('${path}',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(${body})}).then(r=>r.json()).then(show)`;

/** A few lines of React's shape: h() builds elements, state lives in a closure, handlers update it. */
const MINI_REACT = `const h=(tag,props,...kids)=>{const el=document.createElement(tag);for(const[k,v]of Object.entries(props||{})){if(k.startsWith('on'))el.addEventListener(k.slice(2).toLowerCase(),v);else el.setAttribute(k,v);}el.append(...kids);return el;};
function useState(initial){let value=initial;return[()=>value,(next)=>{value={...value,...next};}];}`;

const base = { family: 'script checkouts', lang: 'en', title: 'Checkout', totalLabel: 'Total', button: 'Pay', shows: null } as const;
const SPECS: (Omit<CardPageSpec, 'family' | 'lang' | 'title' | 'totalLabel' | 'button' | 'shows'> & Partial<CardPageSpec>)[] = [
  {
    id: 'spa-fetch-json', path: '/app/checkout', items: [{ name: 'Espresso grinder', price: '€189.00' }], total: '€189.00', amount: { minor: 18900, currency: 'EUR' }, shows: '189.00 EUR',
    fields: () => '', json: true,
    wrap: ({ cart }) => `<h1>Checkout</h1>${cart}<div id="root"></div>`,
    script: (order) => `${MINI_REACT}${show}
const [card,setCard]=useState({number:'',expiry:'',cvc:''});
const input=(id,label,key,ac)=>h('div',{},h('label',{for:id},label),h('input',{id,autocomplete:ac,onInput:(e)=>setCard({[key]:e.target.value})}));
document.getElementById('root').append(h('div',{class:'card-element'},input('cc-number','Card number','number','cc-number'),input('cc-exp','Expiry (MM/YY)','expiry','cc-exp'),input('cc-cvc','CVC','cvc','cc-csc')),
  h('button',{type:'button',id:'pay',onClick:()=>{const [month,year]=card().expiry.split('/');${postJson('/app/checkout/pay', `{order_id:'${order.id}',card:{number:card().number,exp_month:month,exp_year:year,cvc:card().cvc}}`)};}},'Pay €189.00'));`,
    read: (f) => ({ number: field(f, 'number'), month: field(f, 'exp_month'), year: field(f, 'exp_year'), cvc: field(f, 'cvc') }),
    shapedAfter: 'a React single-page checkout: controlled inputs, no <form>, fetch JSON on click',
    cardTravels: 'fetch POST application/json {card:{number,exp_month,exp_year,cvc}} to the shop',
  },
  {
    id: 'spa-form-prevented', path: '/app/form', items: [{ name: 'Pour-over kettle', price: '€74.00' }], total: '€74.00', amount: { minor: 7400, currency: 'EUR' }, shows: '74.00 EUR',
    fields: () => inputs(), json: true,
    script: (order) => `${show}document.getElementById('checkout').addEventListener('submit',(e)=>{e.preventDefault();const d=Object.fromEntries(new FormData(e.target));${postJson('/app/form/pay', `{order_id:'${order.id}',card:{number:d.number,expiry:d.expiry,cvc:d.cvc}}`)};});`,
    read: (f) => ({ number: field(f, 'number'), expiry: field(f, 'expiry'), cvc: field(f, 'cvc') }),
    shapedAfter: 'a Vue/React <form> with onSubmit preventDefault and fetch',
    cardTravels: 'fetch POST application/json from the submit handler',
  },
  {
    id: 'xhr-urlencoded', path: '/legacy/ajax', items: [{ name: 'Tea tin', price: '€18.00' }], total: '€18.00', amount: { minor: 1800, currency: 'EUR' }, shows: '18.00 EUR',
    fields: () => inputs(),
    script: () => `${show}document.getElementById('checkout').addEventListener('submit',function(e){e.preventDefault();var x=new XMLHttpRequest();x.open('POST','/legacy/ajax/pay');x.setRequestHeader('Content-Type','application/x-www-form-urlencoded; charset=UTF-8');x.onload=function(){show(JSON.parse(x.responseText));};x.send(new URLSearchParams(new FormData(this)).toString());});`,
    read: (f) => ({ number: f.number, expiry: f.expiry, cvc: f.cvc }),
    shapedAfter: 'jQuery.ajax($(form).serialize()) era checkout',
    cardTravels: 'XMLHttpRequest POST application/x-www-form-urlencoded',
  },
  {
    id: 'multipart-formdata', path: '/app/multipart', items: [{ name: 'Ceramic mug', price: '€24.00' }], total: '€24.00', amount: { minor: 2400, currency: 'EUR' }, shows: '24.00 EUR',
    fields: () => inputs(),
    script: () => `${show}document.getElementById('checkout').addEventListener('submit',(e)=>{e.preventDefault();fetch('/app/multipart/pay',{method:'POST',body:new FormData(e.target)}).then(r=>r.json()).then(show);});`,
    read: (f) => ({ number: f.number, expiry: f.expiry, cvc: f.cvc }),
    shapedAfter: 'a checkout posting new FormData(form) with fetch',
    cardTravels: 'fetch POST multipart/form-data',
  },
  {
    id: 'beacon-analytics', path: '/app/beacon', items: [{ name: 'Linen apron', price: '€39.00' }], total: '€39.00', amount: { minor: 3900, currency: 'EUR' }, shows: '39.00 EUR',
    fields: () => inputs(), json: true,
    script: (order) => `${show}document.getElementById('checkout').addEventListener('submit',(e)=>{e.preventDefault();const d=Object.fromEntries(new FormData(e.target));
navigator.sendBeacon('/collect',JSON.stringify({event:'checkout_submitted',page:location.pathname,form:d}));
${postJson('/app/beacon/pay', `{order_id:'${order.id}',card:{number:d.number,expiry:d.expiry,cvc:d.cvc}}`)};});`,
    read: (f) => ({ number: field(f, 'number'), expiry: field(f, 'expiry'), cvc: field(f, 'cvc') }),
    shapedAfter: 'a checkout whose analytics tag serialises the whole form into a sendBeacon',
    cardTravels: 'navigator.sendBeacon to /collect with the form, and fetch POST JSON to pay',
  },
  {
    id: 'split-cc1-cc4', path: '/app/split', items: [{ name: 'Bike lights', price: '€45.00' }], total: '€45.00', amount: { minor: 4500, currency: 'EUR' }, shows: '45.00 EUR',
    fields: () => `<fieldset><legend>Card number</legend><div class="row">${[1, 2, 3, 4].map((n) => `<input id="cc${n}" name="cc${n}" maxlength="4" size="4" inputmode="numeric" aria-label="Card number group ${n}">`).join('')}</div></fieldset>
<label for="mmyy">Expires (MM/YY)</label><input id="mmyy" name="mmyy"><label for="cvn">Card verification number</label><input id="cvn" name="cvn" maxlength="4">`,
    script: () => `${show}document.getElementById('checkout').addEventListener('submit',(e)=>{e.preventDefault();fetch('/app/split/pay',{method:'POST',headers:{'content-type':'application/x-www-form-urlencoded'},body:new URLSearchParams(new FormData(e.target))}).then(r=>r.json()).then(show);});`,
    read: (f) => ({ number: `${f.cc1}${f.cc2}${f.cc3}${f.cc4}`, expiry: f.mmyy, cvc: f.cvn }),
    shapedAfter: 'a bank-style four-box card number posted by script as cc1..cc4',
    cardTravels: 'fetch POST urlencoded cc1=..&cc2=..&cc3=..&cc4=.. (no field holds the whole number)',
  },
  {
    id: 'get-query', path: '/legacy/get', items: [{ name: 'Gift card', price: '€25.00' }], total: '€25.00', amount: { minor: 2500, currency: 'EUR' }, shows: '25.00 EUR', method: 'get',
    fields: () => inputs(),
    read: (f) => ({ number: f.number, expiry: f.expiry, cvc: f.cvc }),
    shapedAfter: 'a legacy form with method="get" (the card ends up in the URL and server logs)',
    cardTravels: 'GET /legacy/get/pay?number=..&expiry=..&cvc=.. (top-level navigation)',
  },
];

export function mountScripts(shop: Shop): PageInfo[] {
  // The analytics endpoint every page may beacon to; it keeps nothing but the ledger's scan.
  shop.site.app.post('/collect', (c) => c.body(null, 204));
  return SPECS.map((spec) => mountCardPage(shop, { ...base, ...spec }));
}
