/**
 * A random id (UUID v4 form) for a checkout or a message between the page's worlds.
 * `crypto.randomUUID` exists only in secure contexts: on a shop served over plain
 * http from anywhere but this machine it is undefined, and holding a checkout there
 * threw, leaving it held with nothing shown. `crypto.getRandomValues` exists everywhere.
 */
export function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
