import { cardIn } from '../checkout/card-body.ts';
import { release } from './card-requests.ts';
import { isTokenCard } from './held-cards.ts';
import { after, apply } from './natives.ts';
import { holding } from './watch.ts';

/**
 * Card numbers in an image's URL: analytics pixels (`new Image().src =
 * '/b/ss?…&number=…'`) carry a form's fields in their query. On a watched
 * page such an image loads only once the card is approved, with the token's
 * card in the agent's place; otherwise it never loads.
 */
function loadWhenReleased(url: string, load: (url: string) => void): void {
  const href = URL.parse(url, location.href)?.href;
  const answer = holding();
  const digits = href && answer !== false ? cardIn(href, null) : null;
  if (!href || !digits || isTokenCard(digits)) return load(url);
  if (answer !== true && answer !== false) return void after(answer, () => loadWhenReleased(url, load));
  void release(href, null).then((released) => released && load(released.url), () => undefined);
}

export function holdCardImages(): void {
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, 'src')!;
  const nativeSetAttribute = Element.prototype.setAttribute;
  Object.defineProperty(HTMLImageElement.prototype, 'src', {
    ...src,
    set(this: HTMLImageElement, value: string) {
      loadWhenReleased(String(value), (url) => apply(src.set!, this, [url]));
    },
  });
  Element.prototype.setAttribute = function setAttribute(this: Element, name: string, value: string) {
    if (!(this instanceof HTMLImageElement) || name.toLowerCase() !== 'src') return apply(nativeSetAttribute, this, [name, value]);
    loadWhenReleased(String(value), (url) => apply(nativeSetAttribute, this, [name, url]));
  };
}
