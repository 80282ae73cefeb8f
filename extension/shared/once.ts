/**
 * A value made on first use and kept. The interceptor runs in every frame of
 * every page, and most pages never check a card: building the card patterns
 * (large multilingual regular expressions) at load would cost each of them.
 */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
