import type { JWTPayload, ProtectedHeaderParameters } from 'jose';

/**
 * Augment this interface once to type the claims everywhere (Express `req.auth`, Fastify
 * `request.auth`, Hono `c.var.auth`, Nest `@Auth()`).
 *
 * @example
 * declare module '@tokengate/core' {
 *   interface Register { claims: { sub: string; org: string } }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by applications
export interface Register {}

/**
 * Registered claims (RFC 7519 §4.1) plus anything else the token carries.
 *
 * @example
 * const claims: JWTClaims = { sub: 'u1', scope: 'read write', exp: 1767225600 };
 */
export interface JWTClaims extends JWTPayload {
  scope?: string;
  scp?: string[];
  permissions?: string[];
}

/**
 * The claims type an application registered through {@link Register}, else {@link JWTClaims}.
 *
 * @example
 * const org: string = (auth.claims as RegisteredClaims).org; // after augmenting Register
 */
export type RegisteredClaims = Register extends { claims: infer C } ? C & JWTClaims : JWTClaims;

/**
 * The verified JWS protected header (alg, kid, typ, ...).
 *
 * @example
 * const header: ProtectedHeader = { alg: 'ES256', kid: 'k1', typ: 'at+jwt' };
 */
export type ProtectedHeader = ProtectedHeaderParameters;

/**
 * What a successful verification yields; the same shape in every adapter.
 *
 * @example
 * const auth: AuthInfo = await verifier.verify(token);
 * if (auth.scopes.has('admin')) grantAdmin(auth.claims.sub);
 */
export interface AuthInfo<C = RegisteredClaims> {
  /** The raw compact JWS (for a nested JWE: the inner, decrypted JWS). */
  readonly token: string;
  /** The verified protected header. */
  readonly header: ProtectedHeader;
  /** The verified payload. */
  readonly claims: C;
  /** Scopes from `scope` (space separated), `scp` (array or string) or `permissions` (array). */
  readonly scopes: ReadonlySet<string>;
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
  /** Query parameter values by name; only needed when `query` extraction is enabled. */
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
 * createVerifier({ secret, optional: 'allow-missing' });
 */
export type OptionalMode = 'allow-missing' | 'allow-invalid';

/**
 * How several required scopes combine.
 *
 * @example
 * checkScopes(auth, ['read', 'write'], 'any');
 */
export type ScopeMode = 'all' | 'any';
