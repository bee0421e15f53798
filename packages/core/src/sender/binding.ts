// The `cnf` claim (RFC 7800) of a token: the DPoP key (RFC 9449 §6.1 `jkt`) or the client
// certificate (RFC 8705 §3.1 `x5t#S256`) the token is bound to. Other confirmation members
// are tolerated and ignored.
import { InvalidClaimError, TokenBindingError } from '../errors.js';
import type { JWTClaims, TokenBinding } from '../types.js';

// A SHA-256 thumbprint in unpadded base64url: 43 characters.
const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;

function thumbprint(cnf: Record<string, unknown>, member: string): string | undefined {
  const value = cnf[member];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !THUMBPRINT.test(value))
    throw new InvalidClaimError('cnf', `The "cnf" claim's "${member}" is not a SHA-256 thumbprint`);
  return value;
}

/**
 * The sender binding a token's claims declare; `undefined` for a bearer token. Throws
 * `InvalidClaimError('cnf')` for a `cnf` that is not an object or whose `jkt` / `x5t#S256` is
 * not a base64url SHA-256 thumbprint.
 *
 * @example
 * tokenBinding({ cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' } }); // { jkt: '0Zc…' }
 */
export function tokenBinding(claims: JWTClaims): TokenBinding | undefined {
  const cnf = claims.cnf;
  if (cnf === undefined) return undefined;
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf))
    throw new InvalidClaimError('cnf', 'The "cnf" claim must be an object');
  const jkt = thumbprint(cnf as Record<string, unknown>, 'jkt');
  const x5tS256 = thumbprint(cnf as Record<string, unknown>, 'x5t#S256');
  if (jkt === undefined && x5tS256 === undefined) return undefined;
  return Object.freeze(
    x5tS256 === undefined ? { jkt } : jkt === undefined ? { x5tS256 } : { jkt, x5tS256 },
  );
}

/**
 * Refuse a sender-bound token where no request is there to prove the binding: a verifier
 * without `dpop` and `mtls`, or `verifier.verify(token)`.
 *
 * @example
 * refuseBound(auth.binding, 'verify() has no request to check the proof against');
 */
export function refuseBound(binding: TokenBinding | undefined, why: string): void {
  if (binding === undefined) return;
  const kind = binding.jkt !== undefined ? 'a DPoP key' : 'a client certificate';
  throw new TokenBindingError(`The token is bound to ${kind}; ${why}`);
}
