/**
 * The extension's private keys (the wallet's, and one per browser agent it
 * signs for), kept as non-extractable CryptoKeys in IndexedDB: the browser
 * stores them, scripts in the extension can sign with them, and nothing,
 * not even this code, can read them out.
 */
const DB_NAME = 'agentpay-keys';
const STORE = 'keys';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = action(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result as T);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

export const keyNames = {
  wallet: 'wallet',
  agent: (actorId: string) => `agent:${actorId}`,
};

export function loadKey(name: string): Promise<CryptoKey | undefined> {
  return run<CryptoKey | undefined>('readonly', (store) => store.get(name));
}

export async function saveKey(name: string, key: CryptoKey): Promise<void> {
  if (key.extractable) throw new Error(`refusing to store an extractable key as ${name}`);
  await run('readwrite', (store) => store.put(key, name));
}

/** Forgets every key this extension holds (the wallet's and its browser agents'): unpairing makes them nobody's. */
export async function forgetKeys(): Promise<void> {
  await run('readwrite', (store) => store.clear());
}
