import { ProtocolError } from '@agentpay/protocol';

export interface ErrorInfo {
  code: string;
  message: string;
  details?: { path: string; message: string }[];
}

/** Whatever failed (a relay refusal, a background reply, the network), as code and message for the user. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof ProtocolError) return { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  if (error && typeof error === 'object' && 'code' in error && 'message' in error && typeof error.code === 'string') {
    return { code: error.code, message: String(error.message) };
  }
  if (error instanceof TypeError) return { code: 'network_error', message: `the relay could not be reached (${error.message})` };
  if (error instanceof Error) return { code: 'error', message: error.message };
  return { code: 'error', message: String(error) };
}
