// The seam between the verifier and the request protocol: the verifier's authentication
// that answers without a promise when no step was asynchronous. Private to core: it is not on
// any public type, and a verifier built elsewhere (a test double, a copy with an overridden
// `authenticate`) goes through its public `authenticate` instead.
import type { AuthInfo, OptionalMode, TokenRequest } from '../types.js';
import type { Verifier } from '../verifier-types.js';
import type { PassWithHeaders } from '../verify/context.js';

/**
 * Authenticate a request: the verified token, `undefined` when optional authentication lets
 * it through without one, or a promise of either (or of the token with response headers).
 * Failures are thrown (or rejected).
 */
export type Authenticate = (
  request: TokenRequest,
  optional: OptionalMode | false | undefined,
) => AuthInfo | undefined | PromiseLike<AuthInfo | PassWithHeaders | undefined>;

const immediate = new WeakMap<object, Authenticate>();

/** Record the immediate form of a verifier's authentication (called by `createVerifier`). */
export function registerAuthenticator(verifier: object, authenticate: Authenticate): void {
  immediate.set(verifier, authenticate);
}

// One options object per mode, shared by every request.
const CALL_OPTIONS = {
  'allow-missing': Object.freeze({ optional: 'allow-missing' as const }),
  'allow-invalid': Object.freeze({ optional: 'allow-invalid' as const }),
  required: Object.freeze({ optional: false as const }),
};

/** The fastest authentication a verifier offers, as an {@link Authenticate}. */
export function authenticatorOf(verifier: Verifier<unknown>): Authenticate {
  const own = immediate.get(verifier);
  if (own !== undefined) return own;
  return (request, optional) =>
    Promise.resolve(
      verifier.authenticate(
        request,
        optional === undefined ? undefined : CALL_OPTIONS[optional || 'required'],
      ),
    ).then((auth) => (auth ?? undefined) as AuthInfo | undefined);
}
