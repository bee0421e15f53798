// RFC 6750 §3: the "Bearer" challenge "MUST be followed by one or more auth-param values", so
// every challenge tokengate sends names a realm: the configured one, else this default.
import type { ChallengeOptions } from './errors.js';
import type { VerifierOptions } from './options.js';
import { metadataLocation } from './resource/location.js';
import { DEFAULT_DPOP_ALGORITHMS } from './sender/dpop-options.js';

/**
 * The `realm` of every `WWW-Authenticate` challenge when the `realm` option is not set.
 *
 * @example
 * createVerifier({ jwksUri, issuer, audience }); // no token: WWW-Authenticate: Bearer realm="api"
 */
export const DEFAULT_REALM = 'api';

type ChallengeSource = Readonly<
  Omit<ChallengeOptions, 'dpop' | 'scope'> & {
    dpop?: ChallengeOptions['dpop'] | VerifierOptions['dpop'];
    resource?: VerifierOptions['resource'];
  }
>;

// The DPoP challenge of a `dpop` option (verifier options) or of an error's parameters.
function dpopChallenge(dpop: ChallengeSource['dpop']): ChallengeOptions['dpop'] {
  if (dpop === undefined || dpop === 'off') return undefined;
  if (dpop === 'allowed' || dpop === 'required')
    return { required: dpop === 'required', algorithms: DEFAULT_DPOP_ALGORITHMS };
  if ('required' in dpop) return dpop;
  return {
    required: dpop.mode === 'required',
    algorithms: dpop.algorithms ?? DEFAULT_DPOP_ALGORITHMS,
  };
}

/**
 * The challenge parameters stamped on an error: `realm` (default {@link DEFAULT_REALM}),
 * `resourceMetadata` (given, or the metadata URL of the `resource` option) and the DPoP
 * challenge, read from a verifier's options or from the parameters an error carries. The
 * route's `scope` is the request protocol's to add.
 *
 * @example
 * error.challengeOptions = challengeOptions(verifier.options); // { realm: 'api', resourceMetadata: undefined, dpop: undefined }
 */
export function challengeOptions(from: ChallengeSource): ChallengeOptions {
  return {
    realm: from.realm ?? DEFAULT_REALM,
    resourceMetadata:
      from.resourceMetadata ??
      (from.resource === undefined ? undefined : metadataLocation(from.resource.resource).url),
    dpop: dpopChallenge(from.dpop),
  };
}
