// CONTRACT STUB — the core helper replaces the body; the exported names and shapes stay.
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import {
  InvalidRequestError,
  InvalidSignatureError,
  MalformedTokenError,
  MissingTokenError,
  TokenExpiredError,
  type TokengateError,
} from './errors.js';
import type { VerifierOptions } from './options.js';
import type { AuthInfo, OptionalMode, RegisteredClaims, TokenRequest } from './types.js';

/** Per-call overrides of {@link Verifier.authenticate}. */
export interface AuthenticateOptions {
  /** Override the verifier's optional mode for this call (`false`: required). */
  optional?: OptionalMode | false;
}

/** A configured verifier. Build one per application and share it (it owns the JWKS cache). */
export interface Verifier<C = RegisteredClaims> {
  /** Verify a compact token. Resolves to the verified {@link AuthInfo} or throws a `TokengateError`. */
  verify(token: string): Promise<AuthInfo<C>>;
  /**
   * Extract the token from a request and verify it. Resolves to `null` when optional auth
   * lets the request through without claims; throws a `TokengateError` otherwise.
   * Thrown errors already carry the configured realm / resource_metadata.
   */
  authenticate(request: TokenRequest, options?: AuthenticateOptions): Promise<AuthInfo<C> | null>;
  /** Stamp the configured challenge options on an error raised outside the verifier (e.g. a scope check). */
  prepareError<E extends TokengateError>(error: E): E;
  /** The options this verifier was built with (frozen). */
  readonly options: Readonly<VerifierOptions>;
}

/**
 * Build a verifier. Options are checked once here; misuse throws `TypeError`.
 *
 * @example
 * const verifier = createVerifier({ jwksUri: 'https://id.example.com/.well-known/jwks.json',
 *   issuer: 'https://id.example.com/', audience: 'api', algorithms: ['RS256'] });
 */
export function createVerifier<C = RegisteredClaims>(options: VerifierOptions): Verifier<C> {
  const key = options.jwksUri
    ? createRemoteJWKSet(new URL(String(options.jwksUri)))
    : new TextEncoder().encode(String(options.secret));
  const prepareError = <E extends TokengateError>(e: E): E => {
    e.challengeOptions = { realm: options.realm, resourceMetadata: options.resourceMetadata };
    return e;
  };
  const verify = async (token: string): Promise<AuthInfo<C>> => {
    try {
      const r = await jwtVerify(token, key as never, {
        algorithms: options.algorithms,
        issuer: options.issuer,
        audience: options.audience,
      });
      return {
        token,
        header: r.protectedHeader,
        claims: r.payload as C,
        scopes: new Set(
          String(r.payload.scope ?? '')
            .split(' ')
            .filter(Boolean),
        ),
      };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired)
        throw prepareError(new TokenExpiredError(undefined, { cause: e }));
      if (e instanceof joseErrors.JWSInvalid || e instanceof joseErrors.JWTInvalid)
        throw prepareError(new MalformedTokenError(undefined, { cause: e }));
      throw prepareError(new InvalidSignatureError(undefined, { cause: e }));
    }
  };
  return {
    options: Object.freeze({ ...options }),
    prepareError,
    verify,
    async authenticate(request, opts) {
      const h = request.header('authorization');
      if (Array.isArray(h) && h.length > 1)
        throw prepareError(new InvalidRequestError('Multiple credentials'));
      const value = Array.isArray(h) ? h[0] : (h as string | undefined);
      if (!value) {
        if (opts?.optional ?? options.optional) return null;
        throw prepareError(new MissingTokenError());
      }
      const m = /^Bearer ([^\s]+)$/i.exec(value);
      if (!m) throw prepareError(new InvalidRequestError('Malformed Authorization header'));
      return verify(m[1]!);
    },
  };
}
