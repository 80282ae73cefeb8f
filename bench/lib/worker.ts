import { Worker } from 'node:worker_threads';

/** A TypeScript worker thread answering `{id, ...}` requests with `{id, result}` or `{id, error}`. */
export class TsWorker {
  private readonly worker: Worker;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(entry: URL) {
    this.worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { entry: entry.href } });
    this.worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(message.error));
      else waiter.resolve(message.result);
    });
    this.worker.on('error', (error) => {
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    });
  }

  call<T>(request: object): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
