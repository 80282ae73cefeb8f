/** Prefixes make an id say what it names, in logs and in error messages. */
export const ID_PREFIX = {
  wallet: 'wal',
  agent: 'agt',
  device: 'dev',
  merchant: 'mer',
  mandate: 'mdt',
  intent: 'int',
  token: 'tok',
  charge: 'chg',
  refund: 'ref',
  task: 'tsk',
  creditAccount: 'cra',
  topUp: 'tup',
} as const;
export type IdKind = keyof typeof ID_PREFIX;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Random string from the platform CSPRNG (Node and browsers alike). */
export function randomString(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}

export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}_${randomString(20)}`;
}
