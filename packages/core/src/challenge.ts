// RFC 6750 §3: the "Bearer" challenge "MUST be followed by one or more auth-param values", so
// every challenge tokengate sends names a realm: the configured one, else this default.
import type { ChallengeOptions } from './errors.js';

/**
 * The `realm` of every `WWW-Authenticate` challenge when the `realm` option is not set.
 *
 * @example
 * createVerifier({ jwksUri, issuer, audience }); // no token: WWW-Authenticate: Bearer realm="api"
 */
export const DEFAULT_REALM = 'api';

/**
 * The challenge parameters stamped on an error: `realm` (default {@link DEFAULT_REALM}) and
 * `resourceMetadata`, read from a verifier's options or from the parameters an error carries.
 *
 * @example
 * error.challengeOptions = challengeOptions(verifier.options); // { realm: 'api', resourceMetadata: undefined }
 */
export function challengeOptions(from: Readonly<ChallengeOptions>): ChallengeOptions {
  return { realm: from.realm ?? DEFAULT_REALM, resourceMetadata: from.resourceMetadata };
}
