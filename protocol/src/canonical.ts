/**
 * Canonical JSON (RFC 8785, "JCS"): the one byte string that both sides of a
 * signature agree on. Keys are sorted by UTF-16 code units, numbers use the
 * ECMAScript shortest form (which is what JSON.stringify already produces),
 * and nothing that JSON cannot carry (undefined, NaN, functions) is accepted.
 */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold the number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalize(item === undefined ? null : item)).join(',')}]`;
  }
  if (typeof value === 'object') {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      return canonicalize((value as { toJSON(): unknown }).toJSON());
    }
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      // Default sort compares UTF-16 code units, exactly as RFC 8785 §3.2.3 asks.
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalize(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a value of type ${typeof value}`);
}
