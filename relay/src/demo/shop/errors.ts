import { ProtocolError } from '@agentpay/protocol';

/**
 * A refusal the shop answers with, in the relay's error shape
 * (`{ error: { code, message } }`), so an agent handles both the same way.
 */
export class ShopError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'ShopError';
  }

  toBody() {
    return { error: { code: this.code, message: this.message } };
  }

  /** Passes the relay's own code and message through; a relay that cannot be reached is the shop's 502. */
  static fromRelay(error: unknown): ShopError {
    if (error instanceof ShopError) return error;
    if (error instanceof ProtocolError) return new ShopError(error.code, error.message, error.status);
    return new ShopError('relay_unavailable', `the payment relay could not be reached: ${(error as Error).message}`, 502);
  }
}
