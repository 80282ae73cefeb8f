import { type BidiSend, callIn } from './bidi.ts';

/** Finds an element in the page: a function's source, run in the page with `args`, returning the element or null. */
export interface Finder {
  source: string;
  args: unknown[];
  /** What the element is to a user, for error messages. */
  description: string;
}

/** The control labelled `label` (a <label> naming it, or its aria-label), as a user finds a field. */
export function byLabel(label: string): Finder {
  const source = `(label) => [...document.querySelectorAll('input, select, textarea')].find((el) =>
    el.getAttribute('aria-label') === label || [...(el.labels ?? [])].some((l) => l.textContent.trim() === label)) ?? null`;
  return { source, args: [label], description: `the field labelled "${label}"` };
}

/** The button named `name`, inside the first element matching `within` whose text includes `containing`. */
export function button(name: string, within?: { selector: string; containing: string }): Finder {
  const source = `(name, selector, containing) => {
    const scopes = selector ? [...document.querySelectorAll(selector)].filter((el) => el.textContent.includes(containing)) : [document];
    for (const scope of scopes) {
      const found = [...scope.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent).trim() === name);
      if (found) return found;
    }
    return null;
  }`;
  return { source, args: [name, within?.selector ?? null, within?.containing ?? null], description: `the "${name}" button` };
}

/**
 * A tab or window showing one of the extension's own pages (options, confirm,
 * wallet), driven over WebDriver BiDi: real pointer and key input, so the
 * page sees trusted events as from a person, and scripts to read what it shows.
 */
export class ExtensionTab {
  constructor(
    private readonly send: BidiSend,
    /** The BiDi browsing context id of the tab. */
    readonly context: string,
  ) {}

  /** Runs `fn` in the page and answers with its JSON result. */
  evaluate<A extends unknown[], T>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<Awaited<T>> {
    return callIn(this.send, this.context, fn.toString(), args, 'json') as Promise<Awaited<T>>;
  }

  /** Polls `fn` in the page until it answers something truthy, and answers that. */
  async waitFor<A extends unknown[], T>(what: string, fn: (...args: A) => T | Promise<T>, args: A, timeout = 15_000): Promise<NonNullable<Awaited<T>>> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = await this.evaluate(fn, ...args).catch(() => null);
      if (value !== null && value !== undefined && value !== false && value !== '' && value !== 0) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Clicks the element once it is there and enabled, with the mouse, as a person would. */
  async click(target: Finder, timeout = 15_000): Promise<void> {
    // Scrolled to the middle first, as Playwright does: BiDi refuses to move the pointer outside the viewport.
    const enabled = `(...args) => {
      const el = (${target.source})(...args);
      if (!el || el.disabled) return null;
      el.scrollIntoView({ block: 'center', inline: 'center' });
      return el;
    }`;
    const deadline = Date.now() + timeout;
    let element: unknown = null;
    while (!element) {
      element = await callIn(this.send, this.context, enabled, target.args, 'node').catch(() => null);
      if (element) break;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${target.description} to be enabled`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const origin = { type: 'element', element: { sharedId: element } };
    await this.send('input.performActions', {
      context: this.context,
      actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [
        { type: 'pointerMove', x: 0, y: 0, origin }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 },
      ] }],
    });
  }

  /** Clicks into the field, selects what it holds and types `text` over it, key by key. */
  async fill(target: Finder, text: string): Promise<void> {
    await this.click(target);
    const control = '\uE009';
    const keys = [
      { type: 'keyDown', value: control }, { type: 'keyDown', value: 'a' }, { type: 'keyUp', value: 'a' }, { type: 'keyUp', value: control },
      ...(text === '' ? [{ type: 'keyDown', value: '\uE003' }, { type: 'keyUp', value: '\uE003' }] : []),
      ...[...text].flatMap((key) => [{ type: 'keyDown', value: key }, { type: 'keyUp', value: key }]),
    ];
    await this.send('input.performActions', { context: this.context, actions: [{ type: 'key', id: 'keyboard', actions: keys }] });
  }

  /** Closes the tab or window, as a person closing it would. */
  async close(): Promise<void> {
    await this.send('browsingContext.close', { context: this.context }).catch(() => undefined);
  }
}
