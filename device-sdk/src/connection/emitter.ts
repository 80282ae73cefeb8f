/**
 * A typed event emitter without Node's `events` module, so the SDK's core
 * runs in a browser-like runtime too. Listeners can be removed by the
 * returned function or by aborting `signal`, as refined-github's features do.
 */
export class Emitter<Events extends Record<string, unknown>> {
  readonly #listeners = new Map<keyof Events, Set<(event: never) => void>>();

  on<K extends keyof Events>(type: K, listener: (event: Events[K]) => void, options: { signal?: AbortSignal } = {}): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener as (event: never) => void);
    const off = () => set.delete(listener as (event: never) => void);
    options.signal?.addEventListener('abort', off, { once: true });
    return off;
  }

  emit<K extends keyof Events>(type: K, event: Events[K]): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        (listener as (event: Events[K]) => void)(event);
      } catch (error) {
        // One maker's faulty listener must neither stop a payment midway nor crash the process.
        console.error(`AgentPay device SDK: a listener of "${String(type)}" threw`, error);
      }
    }
  }
}
