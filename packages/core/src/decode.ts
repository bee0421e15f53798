import { decodeJwt, decodeProtectedHeader } from 'jose';
import { MalformedTokenError } from './errors.js';
import type { JWTClaims, ProtectedHeader } from './types.js';

/**
 * UNSAFE: read a token's header and claims WITHOUT verifying anything — not the signature,
 * not `exp`, not the issuer. Anyone can forge what this returns. Use it for debugging and
 * logging only; never for an access decision. Throws `MalformedTokenError` for a value that
 * is not a compact JWS.
 *
 * @example
 * const { header, claims } = decodeUnverified(token); // debugging only
 */
export function decodeUnverified(token: string): {
  header: ProtectedHeader;
  claims: JWTClaims;
  verified: false;
} {
  if (typeof token !== 'string') throw new MalformedTokenError('The token must be a string');
  try {
    return { header: decodeProtectedHeader(token), claims: decodeJwt(token), verified: false };
  } catch (cause) {
    throw new MalformedTokenError(undefined, { cause });
  }
}
