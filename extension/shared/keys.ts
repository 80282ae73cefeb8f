/**
 * The extension's private keys (the wallet's, and one per browser agent it
 * signs for), kept as non-extractable CryptoKeys in IndexedDB: the browser
 * stores them, scripts in the extension can sign with them, and nothing,
 * not even this code, can read them out.
 */
const DB_NAME = 'agentpay-keys';
const STORE = 'keys';

/**
 * One connection, kept open: opening the database is most of a key's read, and a checkout reads
 * two keys on the way to the confirmation window. Other extension pages hold their own connection;
 * each read is its own transaction, so a key saved or forgotten there is seen here at once.
 */
let connection: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  connection ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => {
      const db = request.result;
      // Closed by the browser (storage cleared) or asked to make way: the next read opens again.
      db.onclose = () => (connection = undefined);
      db.onversionchange = () => {
        db.close();
        connection = undefined;
      };
      resolve(db);
    };
    request.onerror = () => {
      connection = undefined;
      reject(request.error);
    };
  });
  return connection;
}

async function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const attempt = (db: IDBDatabase) =>
    new Promise<T>((resolve, reject) => {
      const request = action(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result as T);
      request.onerror = () => reject(request.error);
    });
  try {
    return await attempt(await open());
  } catch (error) {
    // A connection closed under us (its close event not yet delivered): once more, on a new one.
    if (!(error instanceof DOMException && error.name === 'InvalidStateError')) throw error;
    connection = undefined;
    return attempt(await open());
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
