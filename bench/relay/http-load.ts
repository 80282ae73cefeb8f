/**
 * Worker thread: the HTTP clients of the authorization benchmark. Running
 * them here keeps client-side signing and fetch off the relay's event loop,
 * as it would be with real agents on other machines.
 */
import { type Intent, RelayHttpClient, type Signer } from '@agentpay/protocol';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';

export interface HttpLoadRequest {
  type: 'run';
  baseUrl: string;
  /** Lane j signs as signers[j], signers[j + lanes], ... in turn. */
  signers: Signer[];
  lanes: number;
  perLane: number;
  path: string;
  body: unknown;
}

export interface HttpLoadResult {
  elapsedMs: number;
  /** Per request: from the client call to the parsed answer, signing included. */
  latencies: Float64Array;
  /** Per request: client-side work before fetch (JSON, SHA-256 of the body, ES256 signature). */
  signing: Float64Array;
  errors: number;
  firstError?: string;
  /** Busy time of this worker's event loop during the run. */
  workerActiveMs: number;
}

async function run(request: HttpLoadRequest): Promise<HttpLoadResult> {
  const total = request.lanes * request.perLane;
  const latencies = new Float64Array(total);
  const signing = new Float64Array(total);
  let errors = 0;
  let firstError: string | undefined;

  const started = performance.now();
  const elu = performance.eventLoopUtilization();
  await Promise.all(
    Array.from({ length: request.lanes }, async (_, lane) => {
      const mine = request.signers.filter((_, i) => i % request.lanes === lane);
      if (mine.length === 0) throw new Error(`lane ${lane} has no signer`);
      let fetchAt = 0;
      const fetchImpl: typeof fetch = (input, init) => {
        fetchAt = performance.now();
        return fetch(input, init);
      };
      const clients = mine.map((signer) => new RelayHttpClient(request.baseUrl, signer, { fetch: fetchImpl }));
      for (let i = 0; i < request.perLane; i++) {
        const slot = lane * request.perLane + i;
        const t0 = performance.now();
        try {
          const intent = await clients[i % clients.length]!.post<Intent>(request.path, request.body);
          if (intent.status !== 'approved' || !intent.token) throw new Error(`intent ${intent.id} is ${intent.status}: ${JSON.stringify(intent.decision)}`);
        } catch (error) {
          errors++;
          firstError ??= String(error);
        }
        const t1 = performance.now();
        latencies[slot] = t1 - t0;
        signing[slot] = fetchAt - t0;
      }
    }),
  );
  const workerActiveMs = performance.eventLoopUtilization(elu).active;
  return { elapsedMs: performance.now() - started, latencies, signing, errors, firstError, workerActiveMs };
}

parentPort!.on('message', (message: HttpLoadRequest & { id: number }) => {
  run(message).then(
    (result) => parentPort!.postMessage({ id: message.id, result }),
    (error: Error) => parentPort!.postMessage({ id: message.id, error: error.stack ?? String(error) }),
  );
});
