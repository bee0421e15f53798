import type { ProtectedHeaderParameters } from 'jose';

declare global {
  /**
   * Types tokengate reads from the application. A global namespace, so that the declaration
   * reaches core wherever the package manager put it: an application that installs only an
   * adapter cannot name `@tokengate/core` under pnpm, and every copy of core reads the same
   * global.
   *
   * @example
   * declare global {
   *   namespace Tokengate {
   *     interface Register { claims: { sub: string; org: string } }
   *   }
   * }
   */
  namespace Tokengate {
    /**
     * Declare `claims` here once to type the claims everywhere (Express `req.auth`, Fastify
     * `request.auth`, Hono `c.var.auth`, Nest `@Auth()`, the `node:http` handler's `auth`).
     *
     * @example
     * declare global {
     *   namespace Tokengate {
     *     interface Register { claims: { sub: string; org: string } }
     *   }
     * }
     */
    interface Register {}
  }
}

/**
 * The module form of {@link Tokengate.Register}. It only reaches core where the application
 * can import `@tokengate/core` itself (npm, or core as a direct dependency); prefer the
 * global form, which works under every package manager.
 *
 * @example
 * declare module '@tokengate/core' {
 *   interface Register { claims: { sub: string; org: string } }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by applications
export interface Register {}

/**
 * A JSON value as verification hands it out: frozen at runtime, read-only here, all the way
 * down (objects, arrays, and what they hold).
 *
 * @example
 * function orgOf(claims: Frozen<{ org: string; roles: string[] }>) { return claims.org; }
 */
export type Frozen<T> = T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;

/**
 * Registered claims (RFC 7519 §4.1) plus anything else the token carries. Arrays are typed
 * `readonly`, so that the frozen claims of a verified token (`AuthInfo['claims']`) can be
 * passed wherever `JWTClaims` is expected.
 *
 * @example
 * const claims: JWTClaims = { sub: 'u1', scope: 'read write', exp: 1767225600 };
 */
export interface JWTClaims {
  /** RFC 7519 §4.1.1: the issuer. */
  iss?: string;
  /** RFC 7519 §4.1.2: the subject. */
  sub?: string;
  /** RFC 7519 §4.1.3: the audience, one or several. */
  aud?: string | readonly string[];
  /** RFC 7519 §4.1.7: the token's unique identifier. */
  jti?: string;
  /** RFC 7519 §4.1.5: not before, in seconds since the epoch. */
  nbf?: number;
  /** RFC 7519 §4.1.4: expiry, in seconds since the epoch. */
  exp?: number;
  /** RFC 7519 §4.1.6: issued at, in seconds since the epoch. */
  iat?: number;
  /** RFC 8693 §4.2: space-separated scopes. */
  scope?: string;
  /** Scopes as an array (Okta) or a space-separated string (Azure AD, Entra ID). */
  scp?: string | readonly string[];
  /** Permissions (Auth0). */
  permissions?: readonly string[];
  /** Any other claim the token carries. */
  [propName: string]: unknown;
}

type DeclaredClaims<R> = R extends { claims: infer C } ? C : unknown;

/**
 * The claims an application declared in {@link Tokengate.Register} (or in the module form,
 * {@link Register}; the two combine) with the registered claims of {@link JWTClaims}; just
 * {@link JWTClaims} when it declared none.
 *
 * @example
 * type Org = RegisteredClaims['org']; // string, after declaring claims: { org: string }
 */
export type RegisteredClaims = DeclaredClaims<Tokengate.Register> &
  DeclaredClaims<Register> &
  JWTClaims;

/**
 * The verified JWS protected header (alg, kid, typ, ...).
 *
 * @example
 * const header: ProtectedHeader = { alg: 'ES256', kid: 'k1', typ: 'at+jwt' };
 */
export type ProtectedHeader = ProtectedHeaderParameters;

/**
 * What a successful verification yields; the same shape in every adapter. It is frozen at
 * runtime (claims and header deeply, scopes sealed), so it is read-only in the types too: a
 * handler cannot change what the next request with the same cached token sees.
 *
 * @example
 * const auth: AuthInfo = await verifier.verify(token);
 * if (auth.scopes.has('admin')) grantAdmin(auth.claims.sub);
 */
export interface AuthInfo<C = RegisteredClaims> {
  /** The raw compact JWS (for a nested JWE: the inner, decrypted JWS). */
  readonly token: string;
  /** The verified protected header. */
  readonly header: Frozen<ProtectedHeader>;
  /** The verified payload. */
  readonly claims: Frozen<C>;
  /** Scopes from `scope` (space separated), `scp` (array or string) or `permissions` (array). */
  readonly scopes: ReadonlySet<string>;
  /**
   * How the token is bound to its sender, checked on this request: `jkt`, the DPoP key's
   * thumbprint (RFC 9449, sent with the `DPoP` scheme), and/or `x5tS256`, the client
   * certificate's thumbprint (RFC 8705). Absent for a bearer token.
   */
  readonly binding?: TokenBinding;
}

/**
 * The sender binding of a token (its `cnf` claim), as {@link AuthInfo} reports it.
 *
 * @example
 * if (auth.binding?.jkt) console.log('DPoP-bound to', auth.binding.jkt);
 */
export interface TokenBinding {
  /** RFC 9449 §6.1 `cnf.jkt`: the SHA-256 JWK thumbprint of the DPoP key. */
  readonly jkt?: string;
  /** RFC 8705 §3.1 `cnf["x5t#S256"]`: the SHA-256 thumbprint of the client certificate. */
  readonly x5tS256?: string;
}

/**
 * A framework-neutral view of an HTTP request, built by each adapter.
 *
 * `header` must return every value of a repeated header (read the raw headers: Node's
 * parser folds two `Authorization` headers into one), so that two credentials can be
 * refused as RFC 6750 `invalid_request`.
 *
 * @example
 * const request: TokenRequest = { header: (name) => req.headers[name.toLowerCase()] };
 */
export interface TokenRequest {
  /** All values of a header, by case-insensitive name; `undefined` when absent. */
  header(name: string): string | readonly string[] | undefined;
  /** A cookie value by name; only needed when the `cookie` extraction option is set. */
  cookie?(name: string): string | undefined;
  /**
   * Query parameter values by name. Read for `access_token` on every request with a header
   * token (header + query is refused, RFC 6750 §2, even with `query` off), and for the token
   * itself when `query` is on.
   */
  query?(name: string): string | readonly string[] | undefined;
}

/**
 * Optional authentication.
 * - `'allow-missing'`: a request without a token passes with no auth; a present but
 *   invalid token is still rejected.
 * - `'allow-invalid'`: a missing or an invalid token both pass with no auth (the request
 *   then carries no claims). Malformed requests (two credentials) are still rejected.
 *
 * @example
 * createVerifier({ secret, issuer, audience, optional: 'allow-missing' });
 */
export type OptionalMode = 'allow-missing' | 'allow-invalid';

/**
 * How several required scopes combine.
 *
 * @example
 * checkScopes(auth, ['read', 'write'], 'any');
 */
export type ScopeMode = 'all' | 'any';
