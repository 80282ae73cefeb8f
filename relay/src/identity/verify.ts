import {
  type PublicJwk,
  jwsKeyId, ProtocolError, REQUEST_WINDOW_MS, RequestClaims, SignatureError, verifyCanonical,
} from '@agentpay/protocol';
import type { Queryable } from '../store/database.ts';
import { findPrincipalCached, type KeyedPrincipal, type Principal } from './principals.ts';

export interface VerifiedRequest {
  principal: Principal;
  claims: RequestClaims;
}

/**
 * Checks a signed request: a known signer, a valid ES256 signature, the
 * expected audience, a timestamp inside the window, and (over HTTP) the body
 * hash. The nonce is checked later, inside the transaction that does the
 * work, so that an idempotent replay can still be answered.
 */
export async function verifyRequest(
  db: Queryable,
  input: { jws: string | undefined; aud: string; bodySha256?: string; now: Date },
): Promise<VerifiedRequest> {
  return verifySignedBy(await identifySigner(db, input.jws), { ...input, jws: input.jws! });
}

/**
 * The first half of `verifyRequest`, cheap enough to run before a request's body is read: a
 * signature is present, is a compact JWS whose `kid` names a known signer, and that signer is not
 * revoked. Nothing is proven yet: `verifySignedBy` checks the signature itself.
 */
export async function identifySigner(db: Queryable, jws: string | undefined): Promise<KeyedPrincipal> {
  if (!jws) throw new ProtocolError('unauthenticated', 'this request must be signed (x-agentpay-signature header)', 401);
  const kid = jwsKeyId(jws);
  if (!kid) throw new ProtocolError('bad_signature', 'the signature is not a compact JWS with a "kid" naming the signer', 401);
  const principal = await findPrincipalCached(db, kid);
  if (!principal) throw new ProtocolError('unauthenticated', `unknown signer "${kid}": register its public key first`, 401);
  if ((principal.kind === 'agent' || principal.kind === 'device') && principal.status === 'revoked') {
    throw new ProtocolError('agent_revoked', `${principal.kind} ${principal.id} was revoked by its wallet`, 403);
  }
  return principal;
}

/** The second half of `verifyRequest`: the signature is valid under `principal`'s key and its claims fit. */
export async function verifySignedBy(
  principal: KeyedPrincipal,
  input: { jws: string; aud: string; bodySha256?: string; now: Date },
): Promise<VerifiedRequest> {
  const kid = principal.id;
  let payload: unknown;
  try {
    ({ payload } = await verifyCanonical(input.jws, principal.publicJwk));
  } catch (error) {
    if (error instanceof SignatureError) throw new ProtocolError('bad_signature', `${kid}: ${error.message}`, 401);
    throw error;
  }
  const claims = checkClaims(payload, input);
  return { principal, claims };
}

function checkClaims(payload: unknown, input: { aud: string; bodySha256?: string; now: Date }): RequestClaims {
  const parsed = RequestClaims.safeParse(payload);
  if (!parsed.success) throw new ProtocolError('bad_signature', 'the signed claims are not {aud, ts, nonce, ...}', 401);
  const claims = parsed.data;
  if (claims.aud !== input.aud) {
    throw new ProtocolError('bad_signature', `the signature is for "${claims.aud}", not "${input.aud}"`, 401);
  }
  const skew = Math.abs(input.now.getTime() - claims.ts);
  if (skew > REQUEST_WINDOW_MS) {
    throw new ProtocolError('stale_request', `the request was signed ${Math.round(skew / 1000)} s away from the relay's clock (window ±${REQUEST_WINDOW_MS / 1000} s)`, 401);
  }
  if (input.bodySha256 !== undefined && claims.bodySha256 !== input.bodySha256) {
    throw new ProtocolError('bad_signature', 'the body does not match the signed hash', 401);
  }
  return claims;
}

/** Nonces are kept a little longer than the window in which their signature is valid. */
export function nonceExpiry(now: Date): Date {
  return new Date(now.getTime() + 2 * REQUEST_WINDOW_MS);
}

export function replayed(signer: string, nonce: string): ProtocolError {
  return new ProtocolError('replayed_request', `nonce ${nonce} was already used by ${signer}: this request is a replay`, 409);
}

/** Remembers a nonce for the signature window; a second use is refused as a replay. */
export async function consumeNonce(tx: Queryable, signer: string, nonce: string, now: Date): Promise<void> {
  const rows = await tx.query(
    'INSERT INTO nonces (signer, nonce, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1',
    [signer, nonce, nonceExpiry(now)],
  );
  if (rows.length === 0) throw replayed(signer, nonce);
}

/**
 * For registration: the request is signed by the very key it registers,
 * which proves the caller holds the private half.
 */
export async function verifySelfSigned(input: {
  jws: string | undefined;
  aud: string;
  bodySha256: string;
  now: Date;
  publicKey: PublicJwk;
  id: string;
}): Promise<VerifiedRequest> {
  if (!input.jws) throw new ProtocolError('unauthenticated', 'registration must be signed with the key being registered', 401);
  let payload: unknown;
  try {
    ({ payload } = await verifyCanonical(input.jws, input.publicKey));
  } catch (error) {
    if (error instanceof SignatureError) throw new ProtocolError('bad_signature', `registration is not signed by the key it registers: ${error.message}`, 401);
    throw error;
  }
  const claims = checkClaims(payload, input);
  return { principal: { kind: 'registrant', id: input.id, publicJwk: input.publicKey }, claims };
}

/** Verifies a document the wallet signed (a mandate, an approval); `what` names it in the error. */
export async function verifyWalletDocument(wallet: { id: string; publicJwk: PublicJwk }, jws: string, what: string): Promise<unknown> {
  try {
    return (await verifyCanonical(jws, wallet.publicJwk)).payload;
  } catch (error) {
    if (error instanceof SignatureError) throw new ProtocolError('bad_signature', `the ${what} is not signed by wallet ${wallet.id}: ${error.message}`, 401);
    throw error;
  }
}
