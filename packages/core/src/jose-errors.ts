// The one place jose's errors become tokengate errors. The client sees a short generic
// message; jose's own error stays in `cause` for logs.
import { errors } from 'jose';
import {
  InvalidClaimError,
  InvalidSignatureError,
  isTokengateError,
  KeySetUnavailableError,
  MalformedTokenError,
  TokenExpiredError,
  type TokengateError,
  TokenNotYetValidError,
  UnsupportedAlgorithmError,
} from './errors.js';
import { KeyConfigurationError } from './keys/config-error.js';

/**
 * Map anything thrown while verifying a token to a {@link TokengateError}.
 * Tokengate errors pass through unchanged. A {@link KeyConfigurationError} (a configured key
 * that cannot be imported) is rethrown as is: it is the server's fault, so it must reach the
 * framework's error path (500), never become a 401 the client is blamed for.
 *
 * @example
 * try { await compactVerify(token, key) } catch (e) { throw mapJoseError(e) }
 */
export function mapJoseError(error: unknown): TokengateError {
  if (isTokengateError(error)) return error;
  if (error instanceof KeyConfigurationError) throw error;
  const cause = { cause: error };
  if (error instanceof errors.JWTExpired) return new TokenExpiredError(undefined, cause);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return new TokenNotYetValidError(undefined, cause);
    return new InvalidClaimError(error.claim, undefined, cause);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new InvalidSignatureError(undefined, cause);
  if (error instanceof errors.JWEDecryptionFailed)
    return new InvalidSignatureError('The token could not be decrypted', cause);
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return new UnsupportedAlgorithmError(undefined, cause);
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return new InvalidSignatureError('No trusted key matches the token', cause);
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
    return new KeySetUnavailableError(undefined, cause);
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JWEInvalid
  )
    return new MalformedTokenError(undefined, cause);
  // jose throws TypeError when a key does not fit the algorithm (RFC 8725 §3.1 confusion).
  if (error instanceof TypeError || error instanceof errors.JWKInvalid)
    return new UnsupportedAlgorithmError('The token algorithm does not fit the key', cause);
  return new InvalidSignatureError(undefined, cause);
}
