import {
  type Charge, Intent, type IntentRequest, ProtocolError, randomString, RelayHttpClient, type Signer, signCanonical, type TokenGrant,
} from '@agentpay/protocol';
import { RelayConnection } from '@agentpay/device-sdk';
import { sleep } from './relay-process.ts';
import type { Witness } from './witness.ts';

/** Longest wait for one HTTP answer before sending the request again. */
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * A relay that serves but answers one request with a 5xx this many times in
 * a row (about ten seconds of retries) is not going to answer it: a
 * discrepancy, not something to retry away.
 */
const MAX_SERVER_ERRORS_IN_A_ROW = 60;

/**
 * The relays' HTTP addresses as clients see them: a retry goes to the next
 * one (with one relay, the same one again), as a client behind a load
 * balancer would be sent elsewhere after a failure.
 */
export class HttpRoute {
  #next = 0;

  constructor(
    readonly urls: string[],
    /** Past this moment a request that still has no answer is given up: the relay did not come back. */
    private readonly giveUpAt: () => number,
    private readonly witness: Witness,
  ) {}

  /**
   * Sends the request until it is answered: a 2xx or a 4xx is an answer; a
   * dropped connection, a timeout or a 5xx is sent again, with the same
   * idempotency key. Returns the answer or the 4xx it was refused with.
   */
  async untilAnswered<T>(signer: Signer, method: 'POST' | 'PUT' | 'GET', path: string, body: unknown, idempotencyKey?: string): Promise<T | ProtocolError> {
    let serverErrorsInARow = 0;
    for (;;) {
      const url = this.urls[this.#next++ % this.urls.length]!;
      const client = new RelayHttpClient(url, signer, { fetch: timedFetch });
      try {
        return method === 'GET' ? await client.get<T>(path) : await client.request<T>(method, path, body, { idempotencyKey });
      } catch (error) {
        if (error instanceof ProtocolError && error.status < 500) return error;
        const failure = error instanceof ProtocolError ? `${error.status} ${error.code}` : (error as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed';
        this.witness.failed(failure);
        serverErrorsInARow = error instanceof ProtocolError ? serverErrorsInARow + 1 : 0;
        if (Date.now() > this.giveUpAt() || serverErrorsInARow >= MAX_SERVER_ERRORS_IN_A_ROW) {
          throw new NeverAnswered(`${method} ${path} (key ${idempotencyKey}) never answered; last: ${failure}: ${(error as Error).message}`);
        }
        await sleep(50 + Math.random() * 200);
      }
    }
  }
}

/** A request still unanswered when the run gave up waiting: the relay did not come back for it. */
export class NeverAnswered extends Error {
  override name = 'NeverAnswered';
}

const timedFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

/** A merchant that charges the tokens it is handed, retrying each charge with the same key. */
export class Merchant {
  constructor(
    readonly signer: Signer,
    private readonly route: HttpRoute,
    private readonly witness: Witness,
  ) {}

  /**
   * Charges a token once, by its secret or its card, until answered; now and
   * then tries to charge it again under a new key, which must be refused.
   */
  async charge(token: TokenGrant, minor: number): Promise<void> {
    const amount = { minor, currency: token.currency };
    const body = Math.random() < 0.3 ? { card: token.card, amount } : { token: token.secret, amount };
    const key = `charge-${token.id}`;
    const answer = await this.route.untilAnswered<Charge>(this.signer, 'POST', '/v1/merchant/charges', body, key);
    if (answer instanceof ProtocolError) {
      this.witness.discrepancy(`charge of token ${token.id} (key ${key}) refused: ${answer.code} ${answer.message}`);
      return;
    }
    this.witness.toldCharge(key, answer);
    if (Math.random() < 0.1) {
      const replay = await this.route.untilAnswered<Charge>(this.signer, 'POST', '/v1/merchant/charges', body, key);
      if (replay instanceof ProtocolError) this.witness.discrepancy(`replay of charge key ${key} refused: ${replay.code}`);
      else this.witness.toldCharge(key, replay);
    }
    if (Math.random() < 0.1) {
      const again = await this.route.untilAnswered<Charge>(this.signer, 'POST', '/v1/merchant/charges', body, `${key}-again`);
      if (!(again instanceof ProtocolError)) this.witness.toldCharge(`${key}-again`, again);
      else if (again.code === 'token_already_used') this.witness.secondChargesRefused++;
      else this.witness.discrepancy(`second charge of token ${token.id} refused with ${again.code}, not token_already_used`);
    }
  }
}

/** The user's wallet: approves held payments, each with one signed answer it sends until answered. */
export class WalletApprover {
  constructor(
    readonly signer: Signer,
    private readonly route: HttpRoute,
    private readonly witness: Witness,
  ) {}

  /** Approves exactly what the held intent showed; the same JWS and key on every retry. */
  async approve(intent: Intent): Promise<boolean> {
    const claims = {
      type: 'agentpay.approval.v1', intentId: intent.id, decision: 'approve',
      merchantId: intent.merchantId, amount: intent.amount, lineItems: intent.lineItems, category: intent.category,
    };
    const jws = await signCanonical(claims, this.signer.privateKey, this.signer.id);
    const answer = await this.route.untilAnswered<Intent>(this.signer, 'POST', `/v1/intents/${intent.id}/confirmation`, { jws }, `approve-${intent.id}`);
    if (answer instanceof ProtocolError) {
      this.witness.discrepancy(`approval of ${intent.id} refused: ${answer.code} ${answer.message}`);
      return false;
    }
    this.witness.toldUpdate(answer);
    return answer.status === 'approved';
  }
}

/** What one paying client does: one payment after another until told to stop. */
export interface Payer {
  readonly name: string;
  /** Pays until `stop` aborts, finishing the payment under way. */
  run(stop: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * One payment after another until `stop`; a payment the relay never answered
 * is a discrepancy, and that client stops (the relay did not come back for it).
 */
async function untilStopped(stop: AbortSignal, witness: Witness, payOnce: () => Promise<void>): Promise<void> {
  while (!stop.aborted) {
    try {
      await payOnce();
    } catch (error) {
      if (!(error instanceof NeverAnswered)) throw error;
      witness.discrepancy(error.message);
      return;
    }
  }
}

/** Line items adding up to `minor`, of a kind the mandate's rule approves. */
export function payment(merchantId: string, minor: number, extra: Partial<IntentRequest> = {}): IntentRequest {
  return {
    merchantId,
    amount: { minor, currency: 'CNY' },
    lineItems: [{ name: 'Soak item', quantity: 1, unitMinor: minor }],
    category: 'physical_goods',
    channel: 'api',
    context: {},
    ...extra,
  };
}

/** Above the soak mandate's 100.00 CNY per payment: held for the wallet. */
const HELD_MINOR = 12_000;

/** An amount the mandate approves without tripping `amount_unusual` (under ten times the median). */
export const someAmount = () => 100 + Math.floor(Math.random() * 800);

/** An agent over HTTP: asks to pay with an idempotency key it keeps, retries until answered, hands the token on. */
export class HttpAgent implements Payer {
  #n = 0;

  constructor(
    readonly name: string,
    readonly signer: Signer,
    private readonly merchant: Merchant,
    private readonly wallet: WalletApprover,
    private readonly route: HttpRoute,
    private readonly witness: Witness,
  ) {}

  async run(stop: AbortSignal): Promise<void> {
    await untilStopped(stop, this.witness, () => this.payOnce());
  }

  async payOnce(): Promise<void> {
    const key = `${this.signer.id}-pay-${++this.#n}-${randomString(6)}`;
    // One in ten is above what the mandate approves on its own: held until the wallet approves it.
    const minor = Math.random() < 0.1 ? HELD_MINOR + Math.floor(Math.random() * 3000) : someAmount();
    const body = payment(this.merchant.signer.id, minor);
    let intent = await this.pay(key, body);
    if (!intent) return;
    if (Math.random() < 0.15) await this.pay(key, body); // the same key again: the same intent and token
    if (intent.status === 'pending_confirmation') {
      if (!(await this.wallet.approve(intent))) return;
      intent = await this.read(intent.id);
    }
    if (intent?.status === 'approved' && intent.token) await this.merchant.charge(intent.token, minor);
    else if (intent) this.witness.discrepancy(`${this.name}: intent ${intent.id} (key ${key}) is ${intent.status}${intent.token ? '' : ' without a token'}`);
  }

  /** Reads an intent again (an approved one comes with its token, for its own agent). */
  async read(id: string): Promise<Intent | undefined> {
    const answer = await this.route.untilAnswered<Intent>(this.signer, 'GET', `/v1/intents/${id}`, undefined);
    if (answer instanceof ProtocolError) {
      this.witness.discrepancy(`${this.name}: reading intent ${id} refused: ${answer.code} ${answer.message}`);
      return undefined;
    }
    this.witness.toldUpdate(answer);
    return answer;
  }

  /** Sends the intent (again) with its key until answered, and reports what it was told. */
  async pay(key: string, body: IntentRequest): Promise<Intent | undefined> {
    const answer = await this.route.untilAnswered<Intent>(this.signer, 'POST', '/v1/intents', body, key);
    if (answer instanceof ProtocolError) {
      this.witness.discrepancy(`${this.name}: intent key ${key} refused: ${answer.code} ${answer.message}`);
      return undefined;
    }
    this.witness.toldIntent(key, this.signer.id, answer);
    return answer;
  }

  async close(): Promise<void> {}
}

/** Device answers that mean "the relay could not handle it now, nothing changed": resend the same requestId. */
const DEVICE_RETRYABLE = new Set(['internal_error', 'store_unavailable']);

/** A device over MQTT through the device SDK: it keeps each requestId and resends it until answered. */
export class MqttDevice implements Payer {
  #n = 0;
  readonly connection: RelayConnection;

  constructor(
    readonly name: string,
    readonly signer: Signer,
    mqttUrl: string,
    login: 'signed' | 'anonymous',
    protocolVersion: 4 | 5,
    private readonly merchant: Merchant,
    private readonly giveUpAt: () => number,
    private readonly witness: Witness,
  ) {
    this.connection = new RelayConnection({
      url: mqttUrl, identity: { deviceId: signer.id, privateKey: signer.privateKey }, login, protocolVersion,
      // A car maker may shorten the SDK's reconnect backoff (30 s at most by default) for a relay it knows restarts fast.
      backoff: { maxMs: 4000 },
    });
  }

  async run(stop: AbortSignal): Promise<void> {
    await untilStopped(stop, this.witness, () => this.payOnce());
  }

  async payOnce(): Promise<void> {
    const requestId = `${this.signer.id}-${++this.#n}-${randomString(8)}`;
    const minor = someAmount();
    const intent = payment(this.merchant.signer.id, minor, {
      category: 'parking', channel: 'device-voice', createdAt: new Date().toISOString(),
      lineItems: [{ name: 'Parking', quantity: 1, unitMinor: minor }],
    });
    const body = { type: 'intent.create' as const, requestId, intent };
    const answer = await this.pay(body);
    if (!answer) return;
    if (Math.random() < 0.15) await this.pay(body);
    if (answer.status === 'approved' && answer.token) await this.merchant.charge(answer.token, minor);
    else this.witness.discrepancy(`${this.name}: intent ${answer.id} (request ${requestId}) is ${answer.status}${answer.token ? '' : ' without a token'}`);
  }

  /** Sends the request (again) until the relay answers it, and reports what the device was told. */
  async pay(body: { type: 'intent.create'; requestId: string; intent: IntentRequest }): Promise<Intent | undefined> {
    for (;;) {
      // The moment to give up moves (sooner when a relay did not come back): look at it every half second.
      let timer: ReturnType<typeof setInterval> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setInterval(() => {
          if (Date.now() > this.giveUpAt()) reject(new Error(`${this.name}: request ${body.requestId} never answered`));
        }, 500);
      });
      let answer;
      try {
        answer = await Promise.race([this.connection.request(body), timeout]);
      } catch (error) {
        throw new NeverAnswered((error as Error).message);
      } finally {
        clearInterval(timer);
      }
      if (answer.type === 'intent') {
        const intent = Intent.safeParse(answer.intent);
        if (!intent.success) {
          this.witness.discrepancy(`${this.name}: request ${body.requestId} answered with a malformed intent: ${intent.error.message}`);
          return undefined;
        }
        this.witness.toldIntent(body.requestId, this.signer.id, intent.data);
        return intent.data;
      }
      if (answer.type === 'error' && DEVICE_RETRYABLE.has(answer.error.code)) {
        this.witness.failed(`device ${answer.error.code}`);
        await sleep(200);
        continue;
      }
      this.witness.discrepancy(`${this.name}: request ${body.requestId} answered ${JSON.stringify(answer)}`);
      return undefined;
    }
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
