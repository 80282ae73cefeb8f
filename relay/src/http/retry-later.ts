import { ProtocolError } from '@agentpay/protocol';

/**
 * A refusal that says when to ask again (429): the HTTP layer sends
 * `retryAfterSeconds` as the Retry-After header, and the message names it too.
 */
export class RetryLater extends ProtocolError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message, 429);
  }
}
