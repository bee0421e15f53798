import type { VerifierOptions } from './options.js';
import { type Authenticate, registerAuthenticator } from './protocol/immediate.js';
import { publicOptions } from './public-options.js';
import { refuseBound } from './sender/binding.js';
import type { AuthInfo, RegisteredClaims, TokenRequest } from './types.js';
import type { AuthenticateOptions, Verifier, VerifyEngine } from './verifier-types.js';
import { authenticateRequest } from './verify/authenticate.js';
import { createContext, fail, PassWithHeaders, type Verified } from './verify/context.js';
import { verifyToken } from './verify/token.js';
import { webEngine } from './web/engine.js';

export type { AuthenticateOptions, Verifier, VerifyEngine } from './verifier-types.js';

// The public `authenticate()` hands out the token; response headers (a fresh `DPoP-Nonce`)
// reach the response through the request protocol (`createGate`).
const withoutHeaders = (auth: Verified | PassWithHeaders | undefined) =>
  auth instanceof PassWithHeaders ? auth.auth : auth;

/**
 * Build a verifier. Options are checked once here; misuse throws `TypeError` naming the
 * option. Defaults: `clockTolerance` 5 s, `requireExp` true, `maxTokenSize` 8192 characters;
 * algorithms HS256 for a secret, derived from static keys, the asymmetric set for a JWKS.
 *
 * @example
 * const verifier = createVerifier({ jwksUri: 'https://id.example.com/.well-known/jwks.json',
 *   issuer: 'https://id.example.com/', audience: 'api', algorithms: ['RS256'] });
 * const auth = await verifier.verify(token); // auth.claims.sub, auth.scopes
 */
export function createVerifier<C = RegisteredClaims>(options: VerifierOptions): Verifier<C> {
  return createVerifierWith<C>(webEngine, options);
}

/**
 * {@link createVerifier} with another {@link VerifyEngine}; the `node` entry of
 * `@tokengate/core` passes its node:crypto engine.
 *
 * The public methods always return a promise. The request protocol reaches the same
 * authentication without one, through the registry of `protocol/immediate.ts`, so that a
 * request whose steps all answered at once is answered in the same turn.
 *
 * @example
 * const verifier = createVerifierWith(nodeEngine, { jwksUri, issuer, audience: 'api' });
 */
export function createVerifierWith<C = RegisteredClaims>(
  engine: VerifyEngine,
  options: VerifierOptions,
): Verifier<C> {
  const ctx = createContext(engine, options);

  function verify(token: string): Promise<AuthInfo<C>> {
    try {
      const auth = verifyToken(ctx, token) as AuthInfo<C> | Promise<AuthInfo<C>>;
      return ctx.sender === undefined ? Promise.resolve(auth) : Promise.resolve(auth).then(unbound);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // A token verified without its request cannot have its sender proven.
  function unbound(auth: AuthInfo<C>): AuthInfo<C> {
    try {
      refuseBound(auth.binding, 'verify() has no request to check it against: use authenticate()');
    } catch (error) {
      fail(ctx, error);
    }
    return auth;
  }

  function authenticate(
    request: TokenRequest,
    opts?: AuthenticateOptions,
  ): Promise<AuthInfo<C> | undefined> {
    try {
      const auth = authenticateRequest(ctx, request, opts?.optional);
      if (auth instanceof Promise)
        return auth.then(withoutHeaders) as Promise<AuthInfo<C> | undefined>;
      return Promise.resolve(auth as AuthInfo<C> | undefined);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  const verifier = { verify, authenticate, health: () => ctx.issuers.health() };
  // Not enumerable, so `console.log(verifier)` and error reporters that walk it skip it.
  Object.defineProperty(verifier, 'options', { value: publicOptions(options), enumerable: false });
  registerAuthenticator(verifier, ((request, optional) =>
    authenticateRequest(ctx, request, optional)) as Authenticate);
  return verifier as Verifier<C>;
}
